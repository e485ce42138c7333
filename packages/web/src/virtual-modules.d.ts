// Modules the build makes (vite.config.ts).
declare module 'virtual:ansi-palette.css';
