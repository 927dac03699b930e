export * from './tempo-map';
export * from './music';
export * from './fades';
export * from './drum-kit';
export * from './wav';
export * from './reverb-impulse';
