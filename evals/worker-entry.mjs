// Worker-thread bootstrap: register the TypeScript loader (the thread starts without the parent's
// loader flags), then load the eval worker. Plain JavaScript because it runs before any loader.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
