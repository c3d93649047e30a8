// The admin pages (AdminRoute), checked through the UI's own buttons and dialogs.
import {STEP_TIMEOUT, urlPath} from './browser_tab.mjs';

export async function adminDashboard(tab) {
  await tab.check('AdminDashboard', async () => {
    await tab.goto('/admin/dashboard');
    await tab.waitText('Admin Dashboard', 'title (shown once /api/v1/metrics answered)');
    await tab.waitText('Cluster Status:', 'health chip');
    const nodes = await tab.stat('Cluster Nodes');
    if (!/^\d+\/[1-9]\d*$/.test(nodes ?? ''))
      throw new Error(`Cluster Nodes reads ${nodes}`);
    const users = await tab.stat('Active Users');
    if (!/^\d+$/.test(users ?? ''))
      throw new Error(`Active Users reads ${users}`);
    const text = await tab.page.evaluate(() => document.body.innerText);
    if (/NaN|undefined|Infinity/.test(text))
      throw new Error('the page shows NaN, Infinity or undefined');
  });
}

export async function nodes(tab) {
  const node = 'node-a';
  // Keys with a `/`, which the UI puts in the path unencoded.
  const label = 'ui-check.streamspace.io/role';
  const taint = 'ui-check.streamspace.io/dedicated';
  // The page tells a cordoned node by its NoSchedule taint: Uncordon instead of Cordon. It
  // reloads the list right after each action; a list that shows the change only after Refresh
  // is stale and fails the step.
  const cardHas = (button, timeout) =>
      tab.page
          .waitForFunction(
              (n, l) => [...document.querySelectorAll('.MuiCard-root')].some(
                  (c) => c.innerText.includes(n) &&
                      [...c.querySelectorAll('button')].some((b) => b.textContent.trim() === l)),
              {timeout},
              node,
              button,
              )
          .then(() => true)
          .catch(() => false);
  const nodeButton = async (button, what) => {
    if (await cardHas(button, 5000))
      return;
    await tab.call('GET', /^\/api\/v1\/admin\/nodes$/, 'refresh', () => tab.click('Refresh'));
    if (await cardHas(button, 5000))
      throw new Error(`${what}: the card of ${node} shows ${
          button} only after Refresh (the list read right after the answer is stale)`);
    throw new Error(`${what}: the card of ${node} shows no ${button} button, even after Refresh`);
  };
  // After an action the page shows a spinner, then the list again, with the dialog that was
  // open still open.
  const reloaded = async () => {
    await tab.page.waitForFunction(
        () => !document.querySelector('.MuiCircularProgress-root'), {timeout: STEP_TIMEOUT});
    await tab.waitText(node, 'node card');
  };
  await tab.check('Nodes', async () => {
    try {
      await tab.goto('/admin/nodes');
      await tab.waitText('Cluster Nodes', 'title');
      await tab.waitText(node, 'node card');
      const total = await tab.stat('Total Nodes');
      if (!(Number(total) >= 1))
        throw new Error(`Total Nodes reads ${total}`);
      const text = await tab.page.evaluate(() => document.body.innerText);
      if (/NaN|undefined|Infinity/.test(text))
        throw new Error('the page shows NaN, Infinity or undefined');
    } finally {
      await tab.screenshot('nodes.png');
    }
    await tab.step(async () => {
      await tab.click('Labels', node);
      await tab.waitText(`Node Labels - ${node}`, 'labels dialog');
      await tab.fill('Key', label);
      await tab.fill('Value', 'checked');
      await tab.call(
          'PUT', new RegExp(`^/api/v1/admin/nodes/${node}/labels$`), 'add label',
          () => tab.click('Add Label'));
      await tab.waitGone(`Node Labels - ${node}`, 'labels dialog');
      await tab.click('Labels', node);
      await tab.waitText(`${label}=checked`, 'the added label');
      await tab.call(
          'DELETE', new RegExp(`^/api/v1/admin/nodes/${node}/labels/`), 'remove label',
          () => tab.clickIcon('CancelIcon', `${label}=checked`));
      await reloaded();
      await tab.closeDialog();
      await tab.click('Labels', node);
      await tab.waitText(`Node Labels - ${node}`, 'labels dialog');
      await tab.waitGone(`${label}=checked`, 'the removed label');
      await tab.closeDialog();
    });
    await tab.step(async () => {
      await tab.click('Taints', node);
      await tab.waitText(`Node Taints - ${node}`, 'taints dialog');
      await tab.fill('Key', taint);
      await tab.fill('Value', 'ui-check');
      await tab.call(
          'POST', new RegExp(`^/api/v1/admin/nodes/${node}/taints$`), 'add taint',
          () => tab.click('Add Taint'));
      await tab.waitGone(`Node Taints - ${node}`, 'taints dialog');
      await tab.click('Taints', node);
      await tab.waitText(`${taint}=ui-check:NoSchedule`, 'the added taint');
      await tab.call(
          'DELETE', new RegExp(`^/api/v1/admin/nodes/${node}/taints/`), 'remove taint',
          () => tab.clickIcon('CancelIcon', `${taint}=ui-check`));
      await reloaded();
      await tab.closeDialog();
      await tab.click('Taints', node);
      await tab.waitText(`Node Taints - ${node}`, 'taints dialog');
      await tab.waitGone(`${taint}=ui-check`, 'the removed taint');
      await tab.closeDialog();
    });
    await tab.step(async () => {
      await tab.call(
          'POST', new RegExp(`^/api/v1/admin/nodes/${node}/cordon$`), 'cordon',
          () => tab.click('Cordon', node));
      await nodeButton('Uncordon', 'cordon');
      await tab.call(
          'POST', new RegExp(`^/api/v1/admin/nodes/${node}/uncordon$`), 'uncordon',
          () => tab.click('Uncordon', node));
      await nodeButton('Cordon', 'uncordon');
    });
    await tab.step(async () => {
      const drain = await tab.call(
          'POST', new RegExp(`^/api/v1/admin/nodes/${node}/drain$`), 'drain',
          () => tab.click('Drain', node), 60000);
      const sent = JSON.parse(drain.request().postData() ?? '{}');
      if (sent.grace_period_seconds !== 30)
        throw new Error(`drain sent ${drain.request().postData()}`);
      await nodeButton('Uncordon', 'drain');
      await tab.call(
          'POST', new RegExp(`^/api/v1/admin/nodes/${node}/uncordon$`), 'uncordon after drain',
          () => tab.click('Uncordon', node));
      await nodeButton('Cordon', 'uncordon after drain');
    });
  });
}

export async function users(tab, site) {
  let id = null;
  await tab.check('CreateUser', async () => {
    await tab.goto('/admin/users/create');
    await tab.waitText('Create New User', 'title');
    await tab.fill('Username', site.user.username);
    await tab.fill('Email', site.user.email);
    await tab.fill('Full Name', site.user.fullName);
    await tab.fill('Password', site.user.password);
    await tab.fill('Confirm Password', site.user.password);
    const created =
        await tab.call('POST', /^\/api\/v1\/users$/, 'create user', () => tab.click('Create User'));
    const user = await created.json();
    id = user.id;
    if (!id)
      throw new Error(`the created user has no id: ${JSON.stringify(user).slice(0, 160)}`);
    await tab.waitPath(`/admin/users/${id}`, 'after create');
  });
  await tab.check('UserDetail', async () => {
    if (!id)
      throw new Error('no user created');
    if (urlPath(tab.page.url()) !== `/admin/users/${id}`)
      await tab.goto(`/admin/users/${id}`);
    await tab.waitText('User Details', 'title');
    for (const shown
             of [site.user.username, site.user.email, site.user.fullName, 'USER', 'LOCAL',
                 'Active']) {
      await tab.waitText(shown, 'user information');
    }
    await tab.step(async () => {
      await tab.click('Edit');
      await tab.fill('Full Name', `${site.user.fullName} Edited`);
      await tab.call('PATCH', new RegExp(`^/api/v1/users/${id}$`), 'save', () => tab.click('Save'));
      await tab.waitText(`${site.user.fullName} Edited`, 'the edited full name');
    });
  });
  await tab.check('Users', async () => {
    await tab.goto('/admin/users');
    await tab.waitText('User Management', 'title');
    await tab.waitText(site.user.username, 'the created user row');
    const rows = await tab.page.evaluate(
        () => [...document.querySelectorAll('tbody tr')].map(
            (tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
    const admin = rows.find((r) => r[0] === 'admin');
    if (!admin || admin[3] !== 'ADMIN' || admin[4] !== 'LOCAL' || admin[5] !== 'Active' ||
        admin[6] === 'Never' || admin[6] === 'Invalid Date') {
      throw new Error(`the admin row reads ${
          JSON.stringify(admin)} (want ADMIN, LOCAL, Active, a last login date)`);
    }
    await tab.step(async () => {
      await tab.call('GET', /^\/api\/v1\/users$/, 'role filter', () => tab.choose('Role', 'User'));
      await tab.waitGone('ADMIN', 'role filter User (admin still listed)');
      await tab.waitText(site.user.username, 'role filter User');
      await tab.call(
          'GET', /^\/api\/v1\/users$/, 'status filter', () => tab.choose('Status', 'Inactive'));
      await tab.waitText('No users found', 'status filter Inactive');
    });
    await tab.step(async () => {
      await tab.click('Create User');
      await tab.waitPath('/admin/users/create', 'the Create User button');
    });
  });
}

export async function adminRoutes(tab) {
  await tab.check('Admin pages (sent back to the dashboard)', async () => {
    for (const route of ['/admin/dashboard', '/admin/nodes', '/admin/users']) {
      await tab.goto(route);
      await tab.waitPath('/', `${route} as a plain user`);
    }
    const menu = await tab.page.evaluate(() => document.body.innerText);
    if (menu.includes('Cluster Nodes'))
      throw new Error('the admin menu is shown to a plain user');
  });
}
