/** The broadcast capability's calls and events (renderer/broadcast ↔ main/services/broadcast). */
export const broadcastCalls = {};

export const broadcastEvents = {};
