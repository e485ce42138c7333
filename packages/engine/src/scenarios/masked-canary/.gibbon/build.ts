import { action, pipeline } from '@gibbon/sdk';

export default pipeline(() => [
  action('leak', async (job) => {
    const canary = (await job.param('CANARY', { optional: true })) ?? 'no canary';
    const base64 = (prefix: string) => Buffer.from(prefix + canary).toString('base64');
    job.log(`plain ${canary}`);
    job.log(`base64 ${base64('')} ${base64('x')} ${base64('xy')}`);
    job.log(`url ${encodeURIComponent(canary)}`);
    job.log(`json ${JSON.stringify({ canary })}`);
    console.log(`script stdout ${canary}`);
    await job.sh(['sh', '-c', 'printf "%s" "$CANARY" | od -c > /dev/null; echo "sh $CANARY"'], {
      env: { CANARY: canary },
    });
    job.log('done leaking');
  }),
]);
