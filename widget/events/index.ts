export * from './connection-change-event.ts';
export * from './error-event.ts';
export * from './level-up-event.ts';
export * from './like-event.ts';
export * from './message-event.ts';
export * from './reward-event.ts';
export * from './send-event.ts';
