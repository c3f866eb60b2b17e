import { createHandlerFromEnv } from './create-handler';

/** The Lambda entry point (`index.handler`): configuration and the DynamoDB client are built once, at init. */
export const handler = createHandlerFromEnv(process.env);
