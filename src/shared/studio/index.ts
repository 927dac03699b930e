export * from './schema';
export { readProject, projectMaps, DEFAULT_META, ROOT } from './doc-layout';
export { repairProject, REPAIR_ORIGIN, type RepairReport } from './repair';
export * from './project';
