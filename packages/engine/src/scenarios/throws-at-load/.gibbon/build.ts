import { container } from '@gibbon/sdk';

const broken: { image?: string } | undefined = undefined as { image?: string } | undefined;
// Throws while the module loads: reading a property of undefined.
export default container('never', { image: broken!.image ?? 'x', script: ['echo never ran'] });
