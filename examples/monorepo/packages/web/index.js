export const name = () => 'web';
