export * from './masking';
export * from './logs';
export * from './containers';
export * from './script-host';
export * from './sandbox';
