/**
 * The only bridge between the untrusted page and main: one generic `invoke` over the procedure
 * table's names and one `subscribe` over its event names, never `ipcRenderer` itself (which would
 * let the page invoke any channel or forge events). Names outside the table are refused here, and
 * main validates every input again: the page is not trusted to send what its types say.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, PROCEDURE_NAMES, type StudioBridge } from '../shared/procedures';

const procedureNames: ReadonlySet<string> = new Set(PROCEDURE_NAMES);
const eventNames: ReadonlySet<string> = new Set(EVENT_NAMES);

const studio: StudioBridge = {
  invoke(name, ...args) {
    if (!procedureNames.has(name)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'unknown-procedure', message: `${String(name)} is not an operation of the studio` },
      });
    }
    return ipcRenderer.invoke(name, ...args);
  },
  subscribe(event, listener) {
    if (!eventNames.has(event)) throw new Error(`${String(event)} is not an event of the studio`);
    // Wrap so the page never sees the IpcRendererEvent (it carries `sender`, i.e. ipcRenderer).
    const wrapped = (_event: IpcRendererEvent, payload: Parameters<typeof listener>[0]): void => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('studio', studio);
