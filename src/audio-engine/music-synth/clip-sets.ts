/**
 * The generated evaluation sets shared by the analysis tests and the benchmark, so
 * both measure the same material.
 */
import type { ClipRequest } from './render-clip';
import { MUSIC_STYLES, STYLES } from './styles';
import type { MusicStyle } from './styles';
import type { KeyMode } from './theory';

export interface ClipSetOptions {
  sampleRate: number;
  durationSec: number;
  /** Offsets every seed, so a second set with another base seed is independent material. */
  baseSeed: number;
}

/**
 * `clipsPerStyle` clips per style at tempos spread evenly over the style's usual
 * range (with a seed-dependent offset), keys cycling through all 24.
 */
export function tempoClipSet(options: ClipSetOptions & { clipsPerStyle: number; styles?: readonly MusicStyle[] }): ClipRequest[] {
  const requests: ClipRequest[] = [];
  const styles = options.styles ?? MUSIC_STYLES;
  let index = 0;
  for (const style of styles) {
    const [lowBpm, highBpm] = STYLES[style].tempoRangeBpm;
    for (let clip = 0; clip < options.clipsPerStyle; clip++) {
      const seed = options.baseSeed * 7919 + index * 104729 + 17;
      const fraction = (clip + 0.5 + 0.4 * Math.sin(seed)) / options.clipsPerStyle;
      const tempoBpm = Math.round((lowBpm + (highBpm - lowBpm) * Math.min(1, Math.max(0, fraction))) * 10) / 10;
      requests.push({
        style,
        tempoBpm,
        key: { tonic: (index * 5) % 12, mode: index % 2 === 0 ? 'minor' : 'major' },
        durationSec: options.durationSec,
        sampleRate: options.sampleRate,
        seed,
      });
      index++;
    }
  }
  return requests;
}

/**
 * Every style at tempos spread over the whole 70–180 BPM range, including tempos
 * a genre never uses (drum'n'bass at 75): a stress set for octave decisions.
 */
export function tempoStressClipSet(options: ClipSetOptions & { tempos: number }): ClipRequest[] {
  const requests: ClipRequest[] = [];
  let index = 0;
  for (const style of MUSIC_STYLES) {
    for (let step = 0; step < options.tempos; step++) {
      const seed = options.baseSeed * 6007 + index * 3571 + 5;
      const tempoBpm = Math.round((70 + (110 * (step + 0.5)) / options.tempos) * 10) / 10;
      requests.push({ style, tempoBpm, key: { tonic: index % 12, mode: 'minor' }, durationSec: options.durationSec, sampleRate: options.sampleRate, seed });
      index++;
    }
  }
  return requests;
}

/** `rounds` clips in each of the 24 keys, styles and tempos rotating. */
export function keyClipSet(options: ClipSetOptions & { rounds: number }): ClipRequest[] {
  const requests: ClipRequest[] = [];
  const styles = MUSIC_STYLES.filter((style) => STYLES[style].harmony !== null);
  const modes: KeyMode[] = ['major', 'minor'];
  let index = 0;
  for (let round = 0; round < options.rounds; round++) {
    for (const mode of modes) {
      for (let tonic = 0; tonic < 12; tonic++) {
        const style = styles[index % styles.length]!;
        const [lowBpm, highBpm] = STYLES[style].tempoRangeBpm;
        const seed = options.baseSeed * 4099 + index * 2741 + 3;
        const tempoBpm = Math.round(lowBpm + ((highBpm - lowBpm) * ((index * 0.618) % 1)));
        requests.push({ style, tempoBpm, key: { tonic, mode }, durationSec: options.durationSec, sampleRate: options.sampleRate, seed });
        index++;
      }
    }
  }
  return requests;
}
