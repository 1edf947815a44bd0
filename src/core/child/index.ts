/**
 * The child-process room's front door: how main, the CLI and the tests start a trainer or the
 * inspector and talk to it (parent.ts), and how those processes talk back (channel.ts). Node
 * built-ins only, so a process entry can open its channel before loading anything slow.
 */
export {
  childEntry,
  forkChild,
  utilityProcessHandle,
  type ChildEntryOptions,
  type ChildHandle,
  type ExitListener,
  type ForkChildOptions,
  type UtilityCrashReport,
  type UtilityProcessLike,
} from './parent';
export { openParentChannel, type ParentChannel } from './channel';
