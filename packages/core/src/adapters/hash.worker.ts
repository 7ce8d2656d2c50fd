/**
 * The hash worker's entry: answers each {@link HashWorkerRequest} with {@link answerHashRequest}. Started by
 * {@link createWorkerHasher} as a module worker; nothing imports it.
 */
import { answerHashRequest, type HashWorkerRequest, type HashWorkerResponse } from './hashWorkerProtocol.js';

interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<HashWorkerRequest>) => void): void;
  postMessage(message: HashWorkerResponse): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.addEventListener('message', (event) => {
  void answerHashRequest(event.data).then((response) => scope.postMessage(response));
});
