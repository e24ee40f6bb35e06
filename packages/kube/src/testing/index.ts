// Test helpers for code built on @airunway/kube: a fault-injecting proxy in front of a real
// apiserver and a manual clock. Not for production code paths.
export {
  FaultProxy,
  expiredStatus,
  httpGone,
  tooManyRequests,
  watchGoneEvent,
  type FaultProxyOptions,
  type InjectedResponse,
  type Injection,
  type ProxyMode,
  type RecordedRequest,
} from './fault-proxy.js';
export { ManualClock } from '../clock.js';
