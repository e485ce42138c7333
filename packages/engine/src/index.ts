export * from './masking';
export * from './logs';
export * from './containers';
