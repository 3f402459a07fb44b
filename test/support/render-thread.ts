/**
 * A render thread for the tests, started with tsx (synth's own threads run the bundled launcher):
 *
 *   new Worker('test/support/render-thread.ts', { execArgv: ['--import', 'tsx'], workerData: { renderThread: true } })
 */
import { serveRenderThread } from '../../render/render-threads';

serveRenderThread();
