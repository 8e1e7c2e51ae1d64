// On Node, requests go through the http module (see node-http-send.ts for why).
export { nodeHttpSend as defaultHttpSend } from './node-http-send.ts';
