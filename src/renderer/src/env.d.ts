/// <reference types="svelte" />
/// <reference types="vite/client" />
import '../../preload/api.d.ts';
