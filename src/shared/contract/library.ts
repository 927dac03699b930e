/** The library capability's calls and events (renderer/library ↔ main/services/library). */
export const libraryCalls = {};

export const libraryEvents = {};
