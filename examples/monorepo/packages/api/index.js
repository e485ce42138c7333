export const name = () => 'api';
