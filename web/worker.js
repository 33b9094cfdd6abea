// Decodes .pyc bytes off the main thread: the page asks for a summary, then for one code
// object or one byte's owner at a time.
import init, { Session, version, supportedVersions, checkAnswer } from './pkg/pyclens.js';
import { failure, requestHandler } from './requests.js';
import { postInSlices } from './transfer.js';

const ready = init();
let analysisModule = null;
const loadAnalysis = () => (analysisModule ??= import('./pkg-analysis/pyclens.js').then(async (m) => {
  await m.default();
  return m;
}));
const handle = requestHandler({ Session, version, supportedVersions, checkAnswer }, { loadAnalysis });

self.onmessage = async (event) => {
  const { id } = event.data;
  try {
    await ready;
    postInSlices((message) => self.postMessage(message), id, await handle(event.data));
  } catch (err) {
    self.postMessage({ id, error: failure(err) });
  }
};
