import { z } from 'zod';
import { defineCall } from './define';

export const AudioDeviceSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  hostApi: z.string(),
  maxInputChannels: z.number().int().nonnegative(),
  maxOutputChannels: z.number().int().nonnegative(),
  defaultSampleRate: z.number().positive(),
  /**
   * An input that carries what this computer plays (a PulseAudio/PipeWire "Monitor of …" source,
   * a WASAPI loopback, "Stereo Mix"): listed to the DJ as "System output".
   */
  systemOutput: z.boolean().optional(),
});
export type AudioDevice = z.infer<typeof AudioDeviceSchema>;

export const audioCalls = {
  'audio.listDevices': defineCall({
    input: z.object({}).strict(),
    output: z.object({
      devices: z.array(AudioDeviceSchema),
      error: z.string().nullable(),
      /** How to capture the system's own output on this OS when no input offers it (macOS: a virtual device), in words; null when one does. */
      systemOutputNote: z.string().nullable().optional(),
    }),
    summary: 'Audio devices PortAudio can open on this machine.',
  }),
};
