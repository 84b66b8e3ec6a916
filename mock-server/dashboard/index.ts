/** The dashboard at `/` and the API reference at `/docs` (issue 5): one route family per sandbox or tenant. */
export { DASHBOARD_REQUEST_HEADER, DASHBOARD_SCRIPT, JOURNAL_POLL_MS } from './client-script.ts';
export { DOCS_ASSETS, SWAGGER_UI_VERSION } from './docs.ts';
export type {
  DashboardClient,
  DashboardModel,
  DashboardRuntime,
  DashboardSite,
  DashboardUser,
} from './model.ts';
export { dashboardModel } from './model.ts';
export { NotExpressibleIn30, openApi30, openApi30Json } from './openapi-30.ts';
export { renderDashboardPage, renderWorld } from './page.ts';
export { DASHBOARD_CSP, dashboardRoutes } from './routes.ts';
