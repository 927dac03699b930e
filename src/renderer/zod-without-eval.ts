import { z } from 'zod';

// Our CSP has no 'unsafe-eval'. Zod probes for `new Function` when an object schema is
// built, and the blocked probe is reported as a CSP violation, so it is switched off
// before the contract's schemas load. main.tsx imports this module first for that reason.
z.config({ jitless: true });
