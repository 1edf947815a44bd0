/**
 * The child's side: the channel to the parent that started this process, over whichever it was
 * started with: Electron's `process.parentPort` (utilityProcess) or Node's IPC (child_process.fork,
 * which must use `serialization: 'advanced'` so Uint8Array/Float32Array payloads survive).
 *
 * Node built-ins only: a process entry opens its channel before its slow imports (tfjs), so a
 * message sent right after the fork finds a listener.
 */

interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export interface ParentChannel<Out> {
  /**
   * Resolves once the message has left the process (at once on parentPort, which cannot tell);
   * rejects if it cannot be sent (e.g. a value structured clone refuses).
   */
  send(message: Out): Promise<void>;
  /** Exit once everything sent has left the process. */
  exit(code: number): void;
}

/**
 * Listen to the parent (`In` is what it sends, `Out` what this process answers). When the parent
 * is gone (main crashed or quit), the process exits: nobody is left to answer. `name` says who
 * failed when the process was started some other way.
 */
export function openParentChannel<In, Out>(
  onMessage: (message: In) => void,
  name = 'a child process',
): ParentChannel<Out> {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    // No disconnect to watch: Electron ends its utility processes with the app.
    parentPort.on('message', (message) => onMessage(message.data as In));
    return {
      send: async (message) => parentPort.postMessage(message),
      // postMessage has no completion callback; give the last message time to leave. The parent
      // kills a child that outstays its last message anyway.
      exit: (code) => void setTimeout(() => process.exit(code), 500),
    };
  }
  if (process.send) {
    process.on('message', (message) => onMessage(message as In));
    process.on('disconnect', () => process.exit(0));
    return {
      send: (message) =>
        new Promise<void>((resolve) => {
          if (!process.connected) return resolve();
          process.send!(message, undefined, {}, () => resolve());
        }),
      exit: (code) => process.exit(code),
    };
  }
  throw new Error(`${name} must be started by utilityProcess.fork or child_process.fork`);
}
