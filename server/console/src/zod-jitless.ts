import { config } from 'zod';

// The client checks every answer with the protocol's zod schemas. zod would first probe whether
// it may compile validators with `new Function`; the page's CSP forbids that (no 'unsafe-eval'),
// so tell it not to try instead of letting the browser report a violation. Imported first by
// main.tsx: the schemas probe as they are built, when their modules are evaluated.
config({ jitless: true });
