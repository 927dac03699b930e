import { RealFft } from '../dsp/fft';

/**
 * Key change of a backing track without changing its tempo: a phase vocoder stretches the
 * signal in time by r = 2^(semitones/12), then reading it back r times faster restores the
 * length and raises the pitch by the same ratio. Whole-buffer (offline): the singing screen
 * prepares the shifted backing before the song starts.
 */

export const MAX_KEY_CHANGE_SEMITONES = 6;
const FRAME_SIZE = 2048;
const ANALYSIS_HOP = FRAME_SIZE / 4;

function wrapPhase(phase: number): number {
  return phase - 2 * Math.PI * Math.round(phase / (2 * Math.PI));
}

/** The signal stretched in time by `ratio` (longer when > 1), pitch unchanged. */
export function timeStretch(input: Float32Array, ratio: number): Float32Array {
  const synthesisHop = ANALYSIS_HOP * ratio;
  const fft = new RealFft(FRAME_SIZE);
  const bins = fft.binCount;
  const window = new Float64Array(FRAME_SIZE);
  for (let index = 0; index < FRAME_SIZE; index += 1) window[index] = 0.5 - 0.5 * Math.cos((2 * Math.PI * index) / FRAME_SIZE);
  const frameCount = Math.ceil((input.length + FRAME_SIZE) / ANALYSIS_HOP);
  const outputLength = Math.ceil(frameCount * synthesisHop) + FRAME_SIZE;
  const output = new Float64Array(outputLength);
  const windowSum = new Float64Array(outputLength);
  const frame = new Float64Array(FRAME_SIZE);
  const spectrumRe = new Float64Array(bins);
  const spectrumIm = new Float64Array(bins);
  const previousPhase = new Float64Array(bins);
  const synthesisPhase = new Float64Array(bins);
  const resynthesised = new Float64Array(FRAME_SIZE);

  for (let frameIndex = 0; frameIndex < frameCount; frameIndex += 1) {
    // Frames start half a frame before the signal so its first samples get full weight.
    const start = frameIndex * ANALYSIS_HOP - FRAME_SIZE / 2;
    for (let index = 0; index < FRAME_SIZE; index += 1) {
      const source = start + index;
      frame[index] = source >= 0 && source < input.length ? input[source]! * window[index]! : 0;
    }
    fft.forward(frame, spectrumRe, spectrumIm);
    for (let bin = 0; bin < bins; bin += 1) {
      const magnitude = Math.hypot(spectrumRe[bin]!, spectrumIm[bin]!);
      const phase = Math.atan2(spectrumIm[bin]!, spectrumRe[bin]!);
      const expectedAdvance = (2 * Math.PI * bin * ANALYSIS_HOP) / FRAME_SIZE;
      const deviation = wrapPhase(phase - previousPhase[bin]! - expectedAdvance);
      previousPhase[bin] = phase;
      const trueAdvancePerSample = (expectedAdvance + deviation) / ANALYSIS_HOP;
      synthesisPhase[bin] = frameIndex === 0 ? phase : synthesisPhase[bin]! + trueAdvancePerSample * synthesisHop;
      spectrumRe[bin] = magnitude * Math.cos(synthesisPhase[bin]!);
      spectrumIm[bin] = magnitude * Math.sin(synthesisPhase[bin]!);
    }
    fft.inverse(spectrumRe, spectrumIm, resynthesised);
    const outputStart = Math.round(frameIndex * synthesisHop);
    for (let index = 0; index < FRAME_SIZE; index += 1) {
      output[outputStart + index]! += resynthesised[index]! * window[index]!;
      windowSum[outputStart + index]! += window[index]! * window[index]!;
    }
  }
  // Undo the windows' overlap gain, and drop the half frame of lead-in.
  const offset = Math.round(((FRAME_SIZE / 2) * synthesisHop) / ANALYSIS_HOP);
  const length = Math.round(input.length * ratio);
  const stretched = new Float32Array(length);
  for (let index = 0; index < length; index += 1) {
    const sum = windowSum[index + offset]!;
    stretched[index] = sum > 1e-6 ? output[index + offset]! / sum : 0;
  }
  return stretched;
}

/** The signal `semitones` higher (or lower), same length and tempo. */
export function changeKey(input: Float32Array, semitones: number): Float32Array<ArrayBuffer> {
  if (!Number.isFinite(semitones) || Math.abs(semitones) > MAX_KEY_CHANGE_SEMITONES) {
    throw new RangeError(`A key change is at most ${MAX_KEY_CHANGE_SEMITONES} semitones up or down, not ${semitones}.`);
  }
  const output = new Float32Array(input.length);
  if (semitones === 0) {
    output.set(input);
    return output;
  }
  const ratio = 2 ** (semitones / 12);
  const stretched = timeStretch(input, ratio);
  for (let index = 0; index < output.length; index += 1) {
    const position = index * ratio;
    const whole = Math.floor(position);
    const fraction = position - whole;
    const a = stretched[whole] ?? 0;
    const b = stretched[whole + 1] ?? 0;
    output[index] = a + (b - a) * fraction;
  }
  return output;
}
