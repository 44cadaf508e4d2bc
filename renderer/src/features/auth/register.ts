import { createElement } from 'react';
import { extraTabs } from '../servers/ServerDetail';
import { GrantPanel } from './GrantPanel';

extraTabs.push({ id: 'sign-in', label: 'Sign-in', when: (server) => server.config.transport === 'http', render: (server) => createElement(GrantPanel, { server }) });
