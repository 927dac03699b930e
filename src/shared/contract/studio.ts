/** The studio capability's calls and events (renderer/studio ↔ main/services/studio). */
export const studioCalls = {};

export const studioEvents = {};
