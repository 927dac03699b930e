/**
 * A child process for project-store.test.ts: keeps editing a project (one note per update, as
 * the studio page sends them) and prints each edit's number once the store has it, until it is
 * killed. Usage: node --import tsx project-store.crash-child.ts DATA_DIR PROJECT_ID
 */
import { StudioProject } from '../../../shared/studio';
import { ProjectStore } from './project-store';

const [dataDir, projectId] = process.argv.slice(2) as [string, string];
const store = new ProjectStore({ dataDir });
const project = StudioProject.fromUpdate(store.readState(projectId));
const clipId = project.read().clips[0]?.id as string;
project.doc.on('update', (update: Uint8Array) => store.append(projectId, update));
let count = 0;
setInterval(() => {
  count += 1;
  project.addNote(clipId, { pitch: 36 + (count % 60), startBeat: count * 0.25, lengthBeats: 0.25 });
  process.stdout.write(`${count}\n`);
}, 10);
