// `node --import ./import-recorder.mjs …`: appends every module URL the program resolves to $VIGIL_IMPORT_LOG,
// so a test can tell which packages a command line loaded (bin/ lazy loading), with no timing involved.
import { register } from 'node:module';

register('./import-recorder-hooks.mjs', import.meta.url);
