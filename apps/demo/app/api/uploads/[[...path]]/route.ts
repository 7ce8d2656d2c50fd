import { createNextRouteHandlers } from '@tessera/server-adapter';
import { demoHandlerOptions } from '../../../../src/demoHandlerOptions';

export const { GET, POST, DELETE } = createNextRouteHandlers(demoHandlerOptions());
