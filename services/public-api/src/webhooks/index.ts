export { webhookDeliveryRoutes, webhooksRoutes } from './webhooks.routes';
export { WebhooksService } from './webhooks.service';
export { WebhooksRepository } from './webhooks.repository';
