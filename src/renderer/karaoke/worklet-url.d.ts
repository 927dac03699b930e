/** Vite builds `x.worklet.ts?worker&url` as its own script asset and hands back its URL. */
declare module '*?worker&url' {
  const url: string;
  export default url;
}
