/** The karaoke capability's calls and events (renderer/karaoke ↔ main/services/karaoke). */
export const karaokeCalls = {};

export const karaokeEvents = {};
