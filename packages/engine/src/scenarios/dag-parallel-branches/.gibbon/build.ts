import { container, pipeline } from '@gibbon/sdk';

export default pipeline((ctx) => {
  const image = ctx.env.TEST_IMAGE ?? 'missing';
  const step = (id: string, dependsOn: string[]) =>
    container(id, { image, script: [`echo ${id} ran`], dependsOn, network: 'none' });
  return [step('a', []), step('b', ['a']), step('c', ['a']), step('d', ['b', 'c'])];
});
