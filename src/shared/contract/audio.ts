import { z } from 'zod';
import { defineCall } from './define';

export const AudioDeviceSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  hostApi: z.string(),
  maxInputChannels: z.number().int().nonnegative(),
  maxOutputChannels: z.number().int().nonnegative(),
  defaultSampleRate: z.number().positive(),
});
export type AudioDevice = z.infer<typeof AudioDeviceSchema>;

export const audioCalls = {
  'audio.listDevices': defineCall({
    input: z.object({}).strict(),
    output: z.object({ devices: z.array(AudioDeviceSchema), error: z.string().nullable() }),
    summary: 'Audio devices PortAudio can open on this machine.',
  }),
};
