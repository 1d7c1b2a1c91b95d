/**
 * The web dossier import's worker thread, as started by dossiers/dossiers.import.thread.ts (and built beside the server
 * by `npm start`): the handlers of the features' events first — the apology slips a dossier file gives are recorded by
 * the apologies feature (hooks.ts) —, then the worker's own code, which runs the import as soon as it is loaded.
 */
import './hooks';
import './dossiers/dossiers.import.worker';
