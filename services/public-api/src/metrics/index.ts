export { ApiMetrics, type DeliveryResult } from './api-metrics';
export { metricsRoutes } from './metrics.routes';
export { deliveryMetrics, requestMetrics, setDeliveryResult } from './request-metrics.middleware';
