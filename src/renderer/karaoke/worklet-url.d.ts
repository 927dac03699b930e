/** Vite builds `x.worklet.ts?worker&url` as its own script asset and hands back its URL. */
declare module '*?worker&url' {
  const url: string;
  export default url;
}

/** Vite builds `x.worker.ts?worker` as its own script and hands back a constructor for it. */
declare module '*?worker' {
  const WorkerConstructor: new () => Worker;
  export default WorkerConstructor;
}
