/**
 * The inspector room's front door: main's client for the inspector process, the messages it
 * speaks, and the checks on a user's image file that need no tfjs (the CLI's predict refuses a
 * file before sending it). The process itself (process.ts, which loads service.ts and the engine
 * lazily) is an entry, not imported: the client forks it.
 */
export { InspectorClient, type ForkInspector, type InspectorHandle } from './client';
export type { InspectorImage, InspectorRequest, InspectorResponse } from './protocol';
export { checkFileSize, ImageInputError } from './image-convert';
