/**
 * The only bridge between the untrusted page and main. It exposes named methods (never
 * `ipcRenderer` itself, which would let the page invoke any channel or forge events), and every
 * subscription hands back its own unsubscribe function.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Api, Channel, EventChannel, Events, RequestOf, ResponseOf, Result } from '../shared/api';

function invoke<C extends Channel>(channel: C, request?: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
  return ipcRenderer.invoke(channel, request) as Promise<Result<ResponseOf<C>>>;
}

function subscribe<E extends EventChannel>(channel: E, listener: (payload: Events[E]) => void): () => void {
  // Wrap so the page never sees the IpcRendererEvent (it carries `sender`, i.e. ipcRenderer).
  const wrapped = (_event: IpcRendererEvent, payload: Events[E]): void => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.removeListener(channel, wrapped);
  };
}

const api = {
  app: {
    info: () => invoke('app:info'),
  },
  dataset: {
    info: () => invoke('dataset:info'),
    samples: (request) => invoke('dataset:samples', request),
    images: (request) => invoke('dataset:images', request),
    download: () => invoke('dataset:download'),
    chooseFolder: () => invoke('dataset:choose-folder'),
  },
  runs: {
    list: (query) => invoke('runs:list', query),
    get: (id) => invoke('runs:get', { id }),
    start: (request) => invoke('runs:start', request),
    stop: (id) => invoke('runs:stop', { id }),
    update: (id, patch) => invoke('runs:update', { id, patch }),
    remove: (id) => invoke('runs:delete', { id }),
    compare: (ids) => invoke('runs:compare', { ids }),
    confusion: (runId, role) => invoke('runs:confusion', { runId, role }),
    confusionDiff: (pair) => invoke('runs:confusion-diff', pair),
    predictions: (query) => invoke('runs:predictions', query),
    disagreements: (pair) => invoke('runs:disagreements', pair),
    exportRuns: (request) => invoke('runs:export', request),
  },
  onRunEvent: (listener) => subscribe('run:event', listener),
  onDatasetProgress: (listener) => subscribe('dataset:progress', listener),
} satisfies Api;

contextBridge.exposeInMainWorld('api', api);
