export * from './crossfade';
export * from './gapless';
export * from './lyrics-timeline';
export * from './normalisation';
export * from './play-queue';
