export * from './s3-server';
export * from './postgres';
