/**
 * Groove templates per style. Patterns are 16 steps per 4/4 bar (one string per
 * voice): 'X' accent, 'x' normal, 'o' ghost, '.' rest. Bass rhythm strings use
 * 'R'/'r' root, 'O' octave, '5' fifth, '3' chord third, '-' hold, '.' rest;
 * harmony strings use 'x' hit, '-' hold, '.' rest.
 *
 * The ground-truth tempo is always the quarter-note tempo as a DJ would label
 * the genre: drum'n'bass at 174 (not 87), half-time/trap at 140 (not 70).
 */
import type { DrumVoice } from './drums';
import type { NOTE_SHAPES, Timbre } from './instruments';

export type MusicStyle =
  | 'house'
  | 'techno'
  | 'drum-and-bass'
  | 'breakbeat'
  | 'hip-hop'
  | 'rock'
  | 'half-time'
  | 'hats-and-bass'
  | 'funk'
  | 'reggaeton';

export type DrumBar = Partial<Record<DrumVoice, string>>;

export interface PartSpec {
  rhythm: readonly string[];
  timbre: Timbre;
  shape: keyof typeof NOTE_SHAPES;
  gain: number;
}

export interface StyleSpec {
  /** Where the genre usually sits; the generator can still render any tempo. */
  tempoRangeBpm: readonly [number, number];
  /** Share of an eighth note taken by its first sixteenth (0.5 = straight, 0.6 ≈ MPC swing 60 %). */
  swing: number;
  /** Standard deviation of hit timing (s): programmed styles are tight, played ones looser. */
  timingJitterSec: number;
  drumBars: readonly DrumBar[];
  /** Used on every fourth bar when present. */
  fillBar?: DrumBar;
  crashEveryBars?: number;
  drumGain: number;
  bass: PartSpec & { centerMidi: number };
  harmony: (PartSpec & { powerChords?: boolean }) | null;
  melody: (Omit<PartSpec, 'rhythm'> & { notesPerBar: number }) | null;
}

export const STYLES: Record<MusicStyle, StyleSpec> = {
  house: {
    tempoRangeBpm: [118, 130],
    swing: 0.52,
    timingJitterSec: 0.001,
    drumBars: [
      { kick: 'X...X...X...X...', clap: '....X.......X...', closedHat: 'xo.oxo.oxo.oxo.o', openHat: '..X...X...X...X.' },
      { kick: 'X...X...X...X...', clap: '....X.......X..o', closedHat: 'xo.oxo.oxo.oxo.o', openHat: '..X...X...X...X.' },
    ],
    drumGain: 1,
    bass: { rhythm: ['..R-..r-..R-..r-', '..R-..r-..R-..O-'], timbre: 'saw', shape: 'bass', gain: 0.8, centerMidi: 40 },
    harmony: { rhythm: ['...x..x....x..x.', 'x-.x..x....x....'], timbre: 'organ', shape: 'stab', gain: 0.35 },
    melody: { timbre: 'pluck', shape: 'pluck', gain: 0.25, notesPerBar: 4 },
  },
  techno: {
    tempoRangeBpm: [124, 145],
    swing: 0.5,
    timingJitterSec: 0.0005,
    drumBars: [
      { kick: 'X...X...X...X...', clap: '....x.......x...', closedHat: 'o.o.o.o.o.o.o.o.', openHat: '..x...x...x...x.', rim: '...o.....o...o..' },
      { kick: 'X...X...X...X...', clap: '....x.......x...', closedHat: 'o.o.o.o.o.o.o.o.', openHat: '..x...x...x...x.', rim: '......o..o....o.' },
    ],
    drumGain: 1,
    bass: { rhythm: ['.rrr.rrr.rrr.rrr'], timbre: 'saw', shape: 'bass', gain: 0.6, centerMidi: 38 },
    harmony: { rhythm: ['x.....x.....x...'], timbre: 'saw', shape: 'stab', gain: 0.3 },
    melody: null,
  },
  'drum-and-bass': {
    tempoRangeBpm: [160, 180],
    swing: 0.5,
    timingJitterSec: 0.001,
    drumBars: [
      { kick: 'X.........X.....', snare: '....X.......X...', closedHat: 'x.x.x.x.x.x.x.x.' },
      { kick: 'X.........X..x..', snare: '....X..o....X..o', closedHat: 'x.x.x.x.x.xox.x.' },
    ],
    fillBar: { kick: 'X.........X.....', snare: '....X..o..o.XoXo', closedHat: 'x.x.x.x.x.x.x.x.' },
    crashEveryBars: 8,
    drumGain: 1,
    bass: { rhythm: ['R-------r-----..', 'R-----..r-r-----'], timbre: 'saw', shape: 'bass', gain: 0.7, centerMidi: 34 },
    harmony: { rhythm: ['x---------------'], timbre: 'strings', shape: 'pad', gain: 0.3 },
    melody: { timbre: 'pluck', shape: 'pluck', gain: 0.2, notesPerBar: 3 },
  },
  breakbeat: {
    tempoRangeBpm: [110, 140],
    swing: 0.53,
    timingJitterSec: 0.003,
    drumBars: [
      { kick: 'X.x.......Xx....', snare: '....X..o.o..X..o', closedHat: 'x.x.x.x.x.x.x.x.' },
      { kick: 'X.x.......x.....', snare: '....X..o.o..X...', ride: 'x.x.x.x.x.x.x.x.' },
    ],
    fillBar: { kick: 'X.x.......x.....', snare: '....X..o.o.oXoXo', closedHat: 'x.x.x.x.x.x.x.x.' },
    drumGain: 1,
    bass: { rhythm: ['R-..r-..R-.r..r.'], timbre: 'square', shape: 'bass', gain: 0.6, centerMidi: 40 },
    harmony: { rhythm: ['x-------x-------'], timbre: 'electricPiano', shape: 'keys', gain: 0.45 },
    melody: { timbre: 'square', shape: 'lead', gain: 0.15, notesPerBar: 3 },
  },
  'hip-hop': {
    tempoRangeBpm: [72, 100],
    swing: 0.6,
    timingJitterSec: 0.006,
    drumBars: [
      { kick: 'X......x..X.....', snare: '....X.......X...', closedHat: 'xoxoxoxoxoxoxoxo' },
      { kick: 'X.......X.X....x', snare: '....X.......X..o', closedHat: 'xoxoxoxoxoxoxoxo' },
    ],
    drumGain: 1,
    bass: { rhythm: ['R-----r---R-----', 'R-----r---5---r-'], timbre: 'sub', shape: 'bass', gain: 0.8, centerMidi: 38 },
    harmony: { rhythm: ['x-------x-------'], timbre: 'electricPiano', shape: 'keys', gain: 0.5 },
    melody: { timbre: 'strings', shape: 'lead', gain: 0.15, notesPerBar: 2 },
  },
  rock: {
    tempoRangeBpm: [80, 170],
    swing: 0.5,
    timingJitterSec: 0.008,
    drumBars: [
      { kick: 'X.......X.x.....', snare: '....X.......X...', closedHat: 'x.x.x.x.x.x.x.x.' },
      { kick: 'X.x.....X.x.....', snare: '....X.......X...', closedHat: 'x.x.x.x.x.x.x.x.' },
    ],
    fillBar: { kick: 'X.......X.......', snare: '....X.......XxXx', closedHat: 'x.x.x.x.x.x.....' },
    crashEveryBars: 4,
    drumGain: 1,
    bass: { rhythm: ['R.r.r.r.R.r.r.r.'], timbre: 'saw', shape: 'bass', gain: 0.6, centerMidi: 40 },
    harmony: { rhythm: ['x---x---x---x-x-'], timbre: 'brass', shape: 'stab', gain: 0.35, powerChords: true },
    melody: { timbre: 'square', shape: 'lead', gain: 0.15, notesPerBar: 4 },
  },
  'half-time': {
    tempoRangeBpm: [130, 160],
    swing: 0.5,
    timingJitterSec: 0.001,
    drumBars: [
      { kick: 'X.........x.....', snare: '........X.......', closedHat: 'x.x.x.x.x.x.x.x.' },
      { kick: 'X.....x...x.....', snare: '........X.......', closedHat: 'x.x.x.x.x.xxx.x.' },
    ],
    drumGain: 1,
    bass: { rhythm: ['R-------r-------', 'R-----------r---'], timbre: 'sub', shape: 'bass', gain: 0.9, centerMidi: 33 },
    harmony: { rhythm: ['x---------------'], timbre: 'strings', shape: 'pad', gain: 0.3 },
    melody: { timbre: 'pluck', shape: 'pluck', gain: 0.2, notesPerBar: 4 },
  },
  'hats-and-bass': {
    tempoRangeBpm: [100, 135],
    swing: 0.5,
    timingJitterSec: 0.001,
    drumBars: [{ closedHat: 'X.x.X.x.X.x.X.x.', openHat: '..x...x...x...x.' }],
    drumGain: 1.5,
    bass: { rhythm: ['R-..r-..R-..r-..', 'R-..r-..R-..O-..'], timbre: 'saw', shape: 'bass', gain: 0.6, centerMidi: 40 },
    harmony: null,
    melody: null,
  },
  funk: {
    tempoRangeBpm: [95, 118],
    swing: 0.54,
    timingJitterSec: 0.005,
    drumBars: [
      { kick: 'X..x..x...x..x..', snare: '....X..o.o..X...', closedHat: 'xoxoxoxoxoxoxoxo', openHat: '..............x.' },
      { kick: 'X..x......x.....', snare: '....X..o.o..X..o', closedHat: 'xoxoxoxoxoxoxoxo' },
    ],
    drumGain: 1,
    bass: { rhythm: ['R..O..r.5.r.O.r.'], timbre: 'square', shape: 'bass', gain: 0.6, centerMidi: 40 },
    harmony: { rhythm: ['..x...x..x...x..'], timbre: 'electricPiano', shape: 'stab', gain: 0.45 },
    melody: { timbre: 'brass', shape: 'lead', gain: 0.15, notesPerBar: 4 },
  },
  reggaeton: {
    tempoRangeBpm: [88, 100],
    swing: 0.5,
    timingJitterSec: 0.002,
    drumBars: [{ kick: 'X...X...X...X...', snare: '...X..X....X..X.', closedHat: 'x.x.x.x.x.x.x.x.' }],
    drumGain: 1,
    bass: { rhythm: ['R..r..r.R..r..r.'], timbre: 'sub', shape: 'bass', gain: 0.8, centerMidi: 38 },
    harmony: { rhythm: ['x---------------'], timbre: 'strings', shape: 'pad', gain: 0.3 },
    melody: { timbre: 'pluck', shape: 'pluck', gain: 0.2, notesPerBar: 4 },
  },
};

export const MUSIC_STYLES = Object.keys(STYLES) as MusicStyle[];
