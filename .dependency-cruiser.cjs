// The rule of direction (docs/architecture.md). Paths match `src/<layer>/` anywhere,
// so the same rules also run on the layering fixture that proves they can fail.
const layer = (name) => `(^|/)src/${name}/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-imports-no-app-layer',
      comment: 'src/shared is the contract: it imports nothing from main, renderer, preload, audio-engine or electron.',
      severity: 'error',
      from: { path: layer('shared') },
      to: { path: [layer('main'), layer('renderer'), layer('preload'), layer('audio-engine'), '^electron$', 'node_modules/electron/'] },
    },
    {
      name: 'shared-is-platform-free',
      comment: 'src/shared runs in Node, the browser and worklets: no Node built-ins.',
      severity: 'error',
      from: { path: layer('shared') },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'audio-engine-imports-only-shared',
      comment: 'src/audio-engine is pure DSP: it may import src/shared and nothing else (no packages, no Node, no electron).',
      severity: 'error',
      from: { path: layer('audio-engine'), pathNot: '\\.(test|bench)\\.ts$' },
      to: { pathNot: [layer('audio-engine'), layer('shared')] },
    },
    {
      name: 'renderer-never-imports-main-or-preload',
      severity: 'error',
      from: { path: layer('renderer') },
      to: { path: [layer('main'), layer('preload')] },
    },
    {
      name: 'renderer-has-no-node',
      comment: 'The renderer is a sandboxed page: no Node built-ins, no electron.',
      severity: 'error',
      from: { path: layer('renderer'), pathNot: '\\.test\\.tsx?$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'preload-never-imports-main-or-renderer',
      severity: 'error',
      from: { path: layer('preload') },
      to: { path: [layer('main'), layer('renderer')] },
    },
    {
      name: 'services-never-import-electron',
      comment: 'main/services are plain Node so they run and are tested without the Electron binary.',
      severity: 'error',
      from: { path: layer('main/services') },
      to: { path: ['^electron$', 'node_modules/electron/', layer('main/electron'), layer('main/host'), layer('renderer'), layer('preload')] },
    },
    {
      name: 'only-main-electron-and-preload-import-electron',
      severity: 'error',
      from: { pathNot: [layer('main/electron'), layer('preload')] },
      to: { path: ['^electron$', 'node_modules/electron/'] },
    },
    {
      name: 'host-never-imports-electron-glue',
      severity: 'error',
      from: { path: layer('main/host') },
      to: { path: [layer('main/electron'), '^electron$', 'node_modules/electron/'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(out|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
