/**
 * The security settings the test sites are built with, and served with by the test file server.
 * The widget's allow-list holds the host pages' loopback origin (the sites themselves are served
 * as http://localhost:<port>, a different site, so the widget is a third-party frame there). User
 * models are fetched from a second loopback server on any port.
 */
import { readSecurityConfig } from '../../src/lib/embed/security-headers.js';

export const TEST_SECURITY_ENV = {
	HEARTH_WIDGET_ORIGINS: 'http://127.0.0.1:*',
	HEARTH_MODEL_HOSTS: 'http://127.0.0.1:* http://localhost:*'
};

export const TEST_SECURITY = readSecurityConfig(TEST_SECURITY_ENV);
