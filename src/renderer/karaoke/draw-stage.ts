import type { KaraokeSong } from '../../shared/contract';
import type { LineRating } from '../../audio-engine/karaoke/scoring';
import { beatToSec } from './song-model';

/** What one singer's lane shows at a moment: the line, the beats judged so far, the pitch trail. */
export interface LaneView {
  voiceIndex: number;
  color: string;
  /** Per note of the current line, per beat: true hit, false missed, undefined not judged yet. */
  beatHits: (boolean | undefined)[][];
  /** Song seconds → sung MIDI (NaN = no pitch), already moved back by the microphone delay. */
  trail: { timeSec: number; midi: number }[];
  /** The rating of the line that just ended, with when it was given. */
  rating: { text: LineRating; atSec: number } | null;
}

export interface StageView {
  song: KaraokeSong;
  nowSec: number;
  /** Song seconds at which the music ends (for the progress bar). */
  endSec: number;
  lanes: LaneView[];
  transposeSemitones: number;
}

export const SINGER_COLORS = ['#38d9ff', '#ff4fd8'] as const;
const GOLD_LIGHT = '#fff2a8';
const GOLD = '#ffc933';
const GOLD_DEEP = '#e08a00';
const RATING_COLORS: Record<LineRating, string> = { Perfect: GOLD, Great: '#5cf29a', Good: '#38d9ff', OK: '#e3e6eb', Poor: '#ff9b4a', Missed: '#8c95a2' };
const RATING_SHOWN_SEC = 1.6;

/** The line a singer is on: the one being sung, or the next one once the last has ended. */
export function currentLineIndex(song: KaraokeSong, voiceIndex: number, nowSec: number): number {
  const lines = song.voices[voiceIndex]?.lines ?? [];
  for (let index = 0; index < lines.length; index += 1) {
    if (beatToSec(song, lines[index]!.endBeat) + 0.25 > nowSec) return index;
  }
  return lines.length - 1;
}

function roundedRect(ctx: CanvasRenderingContext2D, x: number, y: number, width: number, height: number, radius: number): void {
  const r = Math.min(radius, height / 2, width / 2);
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + width, y, x + width, y + height, r);
  ctx.arcTo(x + width, y + height, x, y + height, r);
  ctx.arcTo(x, y + height, x, y, r);
  ctx.arcTo(x, y, x + width, y, r);
  ctx.closePath();
}

function star(ctx: CanvasRenderingContext2D, x: number, y: number, size: number): void {
  ctx.beginPath();
  for (let point = 0; point < 8; point += 1) {
    const radius = point % 2 === 0 ? size : size * 0.3;
    const angle = (point * Math.PI) / 4;
    ctx.lineTo(x + Math.cos(angle) * radius, y + Math.sin(angle) * radius);
  }
  ctx.closePath();
  ctx.fill();
}

/** Draws the singing stage: per singer, the phrase's note bars, the live pitch trail, the lyrics and the line's rating. */
export function drawStage(ctx: CanvasRenderingContext2D, width: number, height: number, view: StageView): void {
  ctx.clearRect(0, 0, width, height);
  const { song, nowSec, lanes } = view;
  const blockHeight = height / lanes.length;
  lanes.forEach((lane, laneIndex) => drawLane(ctx, width, blockHeight, laneIndex * blockHeight, song, nowSec, lane, view.transposeSemitones, lanes.length > 1));
  if (song.voices.length === 0) drawSingAlong(ctx, width, height, song, nowSec);
  else drawCountIn(ctx, width, height, song, nowSec);
}

/** LRC songs: the current line large, its words lit as they come (enhanced LRC) or all at once, the next line below. */
function drawSingAlong(ctx: CanvasRenderingContext2D, width: number, height: number, song: KaraokeSong, nowSec: number): void {
  const lines = song.lrcLines;
  let current = -1;
  for (let index = 0; index < lines.length; index += 1) if (lines[index]!.startSec <= nowSec) current = index;
  const fontSize = Math.round(height * 0.08);
  ctx.save();
  ctx.textBaseline = 'alphabetic';
  ctx.font = `800 ${fontSize}px system-ui, sans-serif`;
  const line = lines[current];
  if (line) {
    const words = line.words.length > 0 ? line.words : [{ startSec: line.startSec, text: line.text }];
    const total = ctx.measureText(words.map((word) => word.text).join('')).width;
    let x = (width - total) / 2;
    for (const word of words) {
      ctx.lineWidth = 5;
      ctx.strokeStyle = 'rgba(0,0,0,0.8)';
      ctx.strokeText(word.text, x, height * 0.5);
      ctx.fillStyle = word.startSec <= nowSec ? SINGER_COLORS[0] : '#ffffff';
      ctx.fillText(word.text, x, height * 0.5);
      x += ctx.measureText(word.text).width;
    }
  }
  const next = lines[current + 1];
  if (next) {
    ctx.font = `600 ${Math.round(fontSize * 0.6)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.fillStyle = 'rgba(220, 226, 240, 0.55)';
    ctx.fillText(next.text, width / 2, height * 0.5 + fontSize * 1.2);
  }
  ctx.restore();
}

function drawLane(
  ctx: CanvasRenderingContext2D,
  width: number,
  blockHeight: number,
  top: number,
  song: KaraokeSong,
  nowSec: number,
  lane: LaneView,
  transpose: number,
  duet: boolean,
): void {
  const voice = song.voices[lane.voiceIndex];
  if (!voice || voice.lines.length === 0) return;
  const lineIndex = currentLineIndex(song, lane.voiceIndex, nowSec);
  const line = voice.lines[lineIndex]!;
  const lineStartSec = beatToSec(song, line.startBeat);
  const lineEndSec = beatToSec(song, line.endBeat);
  const left = width * 0.07;
  const right = width * 0.93;
  const xOf = (timeSec: number): number => left + ((timeSec - lineStartSec) / Math.max(0.5, lineEndSec - lineStartSec)) * (right - left);

  const laneTop = top + blockHeight * (duet ? 0.1 : 0.08);
  const laneHeight = blockHeight * (duet ? 0.52 : 0.58);
  const midis = line.notes.map((note) => note.midi + transpose);
  const centre = (Math.min(...midis) + Math.max(...midis)) / 2;
  const span = Math.max(14, Math.max(...midis) - Math.min(...midis) + 6);
  const low = centre - span / 2;
  const yOf = (midi: number): number => laneTop + laneHeight - ((midi - low) / span) * laneHeight;
  const barHeight = Math.max(12, Math.min(28, (laneHeight / span) * 1.6));

  // The lane's glass panel and its pitch grid.
  ctx.save();
  roundedRect(ctx, left - 24, laneTop - barHeight, right - left + 48, laneHeight + barHeight * 2, 18);
  ctx.fillStyle = 'rgba(6, 8, 20, 0.55)';
  ctx.fill();
  ctx.strokeStyle = 'rgba(255,255,255,0.07)';
  ctx.lineWidth = 1;
  ctx.stroke();
  ctx.clip();
  ctx.strokeStyle = 'rgba(255,255,255,0.05)';
  for (let midi = Math.ceil(low); midi <= low + span; midi += 2) {
    ctx.beginPath();
    ctx.moveTo(left - 24, yOf(midi));
    ctx.lineTo(right + 24, yOf(midi));
    ctx.stroke();
  }
  ctx.restore();

  // Note bars: the part already sung well fills with the singer's colour; golden notes shine.
  const sparkle = nowSec * 3;
  line.notes.forEach((note, noteIndex) => {
    const startSec = beatToSec(song, note.startBeat);
    const x = xOf(startSec);
    const barWidth = Math.max(6, xOf(beatToSec(song, note.startBeat + note.lengthBeats)) - x - 3);
    const y = yOf(note.midi + transpose) - barHeight / 2;
    const golden = note.kind === 'golden' || note.kind === 'golden-rap';
    ctx.save();
    if (note.kind === 'freestyle') {
      ctx.setLineDash([6, 5]);
      ctx.strokeStyle = 'rgba(255,255,255,0.35)';
      roundedRect(ctx, x, y, barWidth, barHeight, barHeight / 2);
      ctx.stroke();
      ctx.restore();
      return;
    }
    roundedRect(ctx, x, y, barWidth, barHeight, barHeight / 2);
    if (golden) {
      const gradient = ctx.createLinearGradient(0, y, 0, y + barHeight);
      gradient.addColorStop(0, GOLD_LIGHT);
      gradient.addColorStop(0.45, GOLD);
      gradient.addColorStop(1, GOLD_DEEP);
      ctx.shadowColor = 'rgba(255, 200, 40, 0.9)';
      ctx.shadowBlur = 18;
      ctx.fillStyle = gradient;
      ctx.globalAlpha = 0.8;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.shadowBlur = 0;
      ctx.strokeStyle = GOLD_LIGHT;
      ctx.lineWidth = 2;
      ctx.stroke();
    } else {
      const gradient = ctx.createLinearGradient(0, y, 0, y + barHeight);
      gradient.addColorStop(0, 'rgba(255,255,255,0.28)');
      gradient.addColorStop(1, 'rgba(255,255,255,0.10)');
      ctx.fillStyle = gradient;
      ctx.fill();
      ctx.strokeStyle = 'rgba(255,255,255,0.75)';
      ctx.lineWidth = 2;
      if (note.kind === 'rap') ctx.setLineDash([8, 4]);
      ctx.stroke();
    }
    // Hit beats.
    const hits = lane.beatHits[noteIndex] ?? [];
    const beatWidth = barWidth / note.lengthBeats;
    ctx.save();
    roundedRect(ctx, x, y, barWidth, barHeight, barHeight / 2);
    ctx.clip();
    hits.forEach((hit, beat) => {
      if (!hit) return;
      // A golden note lights up white-hot where it was hit, so its sung part shows against the gold.
      ctx.fillStyle = golden ? '#fff7d1' : lane.color;
      ctx.shadowColor = golden ? '#ffd54a' : lane.color;
      ctx.shadowBlur = 14;
      ctx.fillRect(x + beat * beatWidth - 0.5, y, beatWidth + 1, barHeight);
    });
    ctx.restore();
    if (golden) {
      ctx.fillStyle = '#fffbe0';
      for (let index = 0; index < Math.max(2, Math.round(barWidth / 40)); index += 1) {
        const phase = sparkle + index * 1.7 + noteIndex;
        const size = 3 + 3 * Math.abs(Math.sin(phase));
        star(ctx, x + ((index + 0.5) / Math.max(2, Math.round(barWidth / 40))) * barWidth + Math.sin(phase) * 4, y + barHeight / 2 + Math.cos(phase * 1.3) * barHeight * 0.8, size);
      }
    }
    ctx.restore();
  });

  // The singer's pitch trail, folded into the octave of the notes.
  ctx.save();
  ctx.strokeStyle = lane.color;
  ctx.lineWidth = 4;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.shadowColor = lane.color;
  ctx.shadowBlur = 12;
  ctx.beginPath();
  let drawing = false;
  let lastTime = -Infinity;
  let headX = -1;
  let headY = -1;
  for (const point of lane.trail) {
    if (point.timeSec < lineStartSec - 0.1 || point.timeSec > nowSec) continue;
    if (Number.isNaN(point.midi) || point.timeSec - lastTime > 0.1) {
      drawing = false;
      if (Number.isNaN(point.midi)) continue;
    }
    const target = targetAt(song, line, point.timeSec, transpose) ?? centre;
    const folded = target + ((((point.midi - target) % 12) + 18) % 12) - 6;
    const x = Math.max(left - 20, xOf(point.timeSec));
    const y = Math.max(laneTop - barHeight, Math.min(laneTop + laneHeight + barHeight, yOf(folded)));
    if (drawing) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
    drawing = true;
    lastTime = point.timeSec;
    headX = x;
    headY = y;
  }
  ctx.stroke();
  if (headX >= 0 && nowSec - lastTime < 0.15) {
    ctx.fillStyle = '#ffffff';
    ctx.beginPath();
    ctx.arc(headX, headY, 6, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.restore();

  // The "now" cursor.
  const cursorX = xOf(nowSec);
  if (cursorX >= left && cursorX <= right) {
    const gradient = ctx.createLinearGradient(0, laneTop - barHeight, 0, laneTop + laneHeight + barHeight);
    gradient.addColorStop(0, 'rgba(255,255,255,0)');
    gradient.addColorStop(0.5, 'rgba(255,255,255,0.5)');
    gradient.addColorStop(1, 'rgba(255,255,255,0)');
    ctx.fillStyle = gradient;
    ctx.fillRect(cursorX - 1, laneTop - barHeight, 2, laneHeight + barHeight * 2);
  }

  if (duet) {
    ctx.font = `700 ${Math.round(blockHeight * 0.045)}px system-ui, sans-serif`;
    ctx.fillStyle = lane.color;
    ctx.textAlign = 'left';
    // Inside the panel's top-left corner, clear of the notes' pitch range.
    ctx.textBaseline = 'top';
    ctx.fillText(voice.name ?? `Singer ${lane.voiceIndex + 1}`, left - 12, laneTop - barHeight + 8);
    ctx.textBaseline = 'alphabetic';
  }

  drawLyrics(ctx, width, top + blockHeight * (duet ? 0.8 : 0.8), blockHeight, song, lane, lineIndex, nowSec, duet);

  if (lane.rating && nowSec - lane.rating.atSec < RATING_SHOWN_SEC) {
    const age = (nowSec - lane.rating.atSec) / RATING_SHOWN_SEC;
    const scale = 1 + 0.25 * Math.max(0, 1 - age * 6);
    ctx.save();
    ctx.globalAlpha = Math.min(1, (1 - age) * 2.5);
    ctx.translate(width / 2, laneTop + laneHeight * 0.12);
    ctx.scale(scale, scale);
    ctx.font = `900 italic ${Math.round(blockHeight * (duet ? 0.09 : 0.075))}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.shadowColor = RATING_COLORS[lane.rating.text];
    ctx.shadowBlur = 24;
    ctx.lineWidth = 6;
    ctx.strokeStyle = 'rgba(0,0,0,0.7)';
    const text = lane.rating.text === 'Missed' ? 'Missed' : `${lane.rating.text}!`;
    ctx.strokeText(text, 0, 0);
    ctx.fillStyle = RATING_COLORS[lane.rating.text];
    ctx.fillText(text, 0, 0);
    ctx.restore();
  }
}

function targetAt(song: KaraokeSong, line: KaraokeSong['voices'][number]['lines'][number], timeSec: number, transpose: number): number | null {
  let nearest: number | null = null;
  let nearestDistance = Infinity;
  for (const note of line.notes) {
    const start = beatToSec(song, note.startBeat);
    const end = beatToSec(song, note.startBeat + note.lengthBeats);
    const distance = timeSec < start ? start - timeSec : timeSec > end ? timeSec - end : 0;
    if (distance < nearestDistance) {
      nearestDistance = distance;
      nearest = note.midi + transpose;
    }
  }
  return nearest;
}

function drawLyrics(
  ctx: CanvasRenderingContext2D,
  width: number,
  baseline: number,
  blockHeight: number,
  song: KaraokeSong,
  lane: LaneView,
  lineIndex: number,
  nowSec: number,
  duet: boolean,
): void {
  const lines = song.voices[lane.voiceIndex]!.lines;
  const line = lines[lineIndex]!;
  const fontSize = Math.round(blockHeight * (duet ? 0.1 : 0.075));
  ctx.save();
  ctx.font = `800 ${fontSize}px system-ui, sans-serif`;
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';
  const pieces = line.notes.map((note) => note.text);
  const total = ctx.measureText(pieces.join('')).width;
  let x = (width - total) / 2;
  // Lyrics band behind the text.
  const band = ctx.createLinearGradient(0, 0, width, 0);
  band.addColorStop(0, 'rgba(0,0,0,0)');
  band.addColorStop(0.2, 'rgba(0,0,0,0.55)');
  band.addColorStop(0.8, 'rgba(0,0,0,0.55)');
  band.addColorStop(1, 'rgba(0,0,0,0)');
  ctx.fillStyle = band;
  ctx.fillRect(0, baseline - fontSize * 1.15, width, fontSize * (duet ? 1.55 : 2.5));
  line.notes.forEach((note, index) => {
    const text = pieces[index]!;
    const pieceWidth = ctx.measureText(text).width;
    const startSec = beatToSec(song, note.startBeat);
    const endSec = beatToSec(song, note.startBeat + note.lengthBeats);
    const golden = note.kind === 'golden' || note.kind === 'golden-rap';
    const sungColor = golden ? GOLD : lane.color;
    ctx.lineWidth = 5;
    ctx.strokeStyle = 'rgba(0,0,0,0.8)';
    ctx.strokeText(text, x, baseline);
    ctx.fillStyle = golden ? 'rgba(255, 230, 150, 0.95)' : '#ffffff';
    ctx.fillText(text, x, baseline);
    const progress = nowSec <= startSec ? 0 : nowSec >= endSec ? 1 : (nowSec - startSec) / (endSec - startSec);
    if (progress > 0) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(x, baseline - fontSize * 1.2, pieceWidth * progress, fontSize * 1.6);
      ctx.clip();
      ctx.fillStyle = sungColor;
      ctx.fillText(text, x, baseline);
      ctx.restore();
    }
    x += pieceWidth;
  });
  if (!duet) {
    const next = lines[lineIndex + 1];
    if (next) {
      ctx.font = `600 ${Math.round(fontSize * 0.62)}px system-ui, sans-serif`;
      ctx.textAlign = 'center';
      ctx.fillStyle = 'rgba(220, 226, 240, 0.55)';
      ctx.fillText(next.notes.map((note) => note.text).join('').trim(), width / 2, baseline + fontSize * 1.05);
    }
  }
  ctx.restore();
}

function drawCountIn(ctx: CanvasRenderingContext2D, width: number, height: number, song: KaraokeSong, nowSec: number): void {
  const firstNoteSec = Math.min(...song.voices.map((voice) => (voice.lines[0] ? beatToSec(song, voice.lines[0].startBeat) : Infinity)));
  const remaining = firstNoteSec - nowSec;
  if (!(remaining > 0 && remaining <= 3)) return;
  const count = Math.ceil(remaining);
  const fraction = remaining - Math.floor(remaining);
  ctx.save();
  ctx.globalAlpha = 0.35 + 0.65 * fraction;
  ctx.font = `900 ${Math.round(height * (0.1 + 0.05 * fraction))}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = '#ffffff';
  ctx.shadowColor = '#b36bff';
  ctx.shadowBlur = 30;
  ctx.fillText(String(count), width / 2, height * 0.42);
  ctx.restore();
}
