// The admin pages (AdminRoute), checked through the UI's own buttons and dialogs.
import {sleep, STEP_TIMEOUT, urlPath} from './browser_tab.mjs';

// A field the page reads that is missing or not a number shows as one of these.
async function noBadValues(tab) {
  const text = await tab.page.evaluate(() => document.body.innerText);
  const bad = text.match(/NaN|undefined|Infinity|Invalid Date/);
  if (bad)
    throw new Error(`the page shows ${bad[0]}`);
}

// The cells of the table's body rows, as shown.
const tableRows = (tab) => tab.page.evaluate(
    () => [...document.querySelectorAll('tbody tr')].map(
        (tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));

// Waits until the table's rows pass `test`; pages reload their lists after an action. Fails with
// what the rows read.
async function waitRows(tab, test, what) {
  const deadline = Date.now() + STEP_TIMEOUT;
  for (;;) {
    const rows = await tableRows(tab);
    if (test(rows))
      return rows;
    if (Date.now() > deadline)
      throw new Error(`${what}: the table reads ${JSON.stringify(rows).slice(0, 300)}`);
    await sleep(250);
  }
}

const rowOf = (rows, first) => rows.find((cells) => cells[0] === first) ?? null;

// Waits until the row whose first cell reads `first` passes `test`.
async function waitRow(tab, first, test, what) {
  return rowOf(await waitRows(tab, (rows) => test(rowOf(rows, first)), what), first);
}

// What the "Resource Quota" card of UserDetail and GroupDetail shows under each caption
// ({Sessions: '0 / 5', CPU: '0 / 2000m', ...}); null when it shows no quota.
const quotaCard = (tab) => tab.page.evaluate(() => {
  const card = [...document.querySelectorAll('.MuiCard-root')].find(
      (c) => c.innerText.includes('Resource Quota'));
  const captions = card ? [...card.querySelectorAll('.MuiTypography-caption')] : [];
  return captions.length === 0 ?
      null :
      Object.fromEntries(
          captions.map((c) => [c.innerText.trim(), c.nextElementSibling?.innerText.trim() ?? '']));
});

// Waits until the quota card shows "<use> / <limit>" for each resource, the sessions as numbers,
// with the limits of `want` ({Sessions: '5', CPU: '2000m'}).
async function waitQuotaCard(tab, want, what) {
  const deadline = Date.now() + STEP_TIMEOUT;
  for (;;) {
    const card = await quotaCard(tab);
    const shown = card !== null &&
        ['Sessions', 'CPU', 'Memory', 'Storage'].every(
            (k) => /^\S+ \/( \S+)?$/.test(card[k] ?? '') && !/NaN|undefined/.test(card[k])) &&
        /^\d+ \/ \d+$/.test(card.Sessions) &&
        Object.entries(want).every(([k, limit]) => card[k].endsWith(` / ${limit}`));
    if (shown)
      return;
    if (Date.now() > deadline)
      throw new Error(`${what}: the quota card reads ${JSON.stringify(card)}`);
    await sleep(250);
  }
}

const sentBody = (response) => JSON.parse(response.request().postData() ?? '{}');

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
    await noBadValues(tab);
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
      await noBadValues(tab);
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

// CreateUser, UserDetail (with its quota and groups parts) and Users. Sets site.user.id.
export async function users(tab, site) {
  const {username} = site.user;
  await tab.check('CreateUser', async () => {
    await tab.goto('/admin/users/create');
    await tab.waitText('Create New User', 'title');
    await tab.fill('Username', username);
    await tab.fill('Email', site.user.email);
    await tab.fill('Full Name', site.user.fullName);
    await tab.fill('Password', site.user.password);
    await tab.fill('Confirm Password', site.user.password);
    const created =
        await tab.call('POST', /^\/api\/v1\/users$/, 'create user', () => tab.click('Create User'));
    const user = await created.json();
    site.user.id = user.id;
    if (!user.id)
      throw new Error(`the created user has no id: ${JSON.stringify(user).slice(0, 160)}`);
    await tab.waitPath(`/admin/users/${user.id}`, 'after create');
  });
  const {id} = site.user;
  await tab.check('UserDetail', async () => {
    if (!id)
      throw new Error('no user created');
    if (urlPath(tab.page.url()) !== `/admin/users/${id}`)
      await tab.goto(`/admin/users/${id}`);
    await tab.waitText('User Details', 'title');
    for (const shown
             of [username, site.user.email, site.user.fullName, 'USER', 'LOCAL', 'Active']) {
      await tab.waitText(shown, 'user information');
    }
    await tab.waitText('User is not a member of any groups', 'Group Memberships of a new user');
    await waitQuotaCard(tab, {}, 'the quota of a new user');
    await noBadValues(tab);
    await tab.step(async () => {
      await tab.click('Edit');
      await tab.fill('Full Name', `${site.user.fullName} Edited`);
      await tab.call('PATCH', new RegExp(`^/api/v1/users/${id}$`), 'save', () => tab.click('Save'));
      await tab.waitText(`${site.user.fullName} Edited`, 'the edited full name');
    });
    // The quota card has an Edit button of its own.
    await tab.step(async () => {
      await tab.click('Edit', 'Resource Quota');
      await tab.fill('Max Sessions', '5');
      await tab.fill('Max CPU', '2000m');
      const saved = await tab.call(
          'PUT', new RegExp(`^/api/v1/users/${id}/quota$`), 'save quota', () => tab.click('Save'));
      const sent = sentBody(saved);
      if (sent.maxSessions !== 5 || sent.maxCpu !== '2000m')
        throw new Error(`save quota sent ${JSON.stringify(sent)}`);
      await waitQuotaCard(tab, {Sessions: '5', CPU: '2000m'}, 'the saved quota');
    });
  });
  await tab.check('Users', async () => {
    await tab.goto('/admin/users');
    await tab.waitText('User Management', 'title');
    await tab.waitText(username, 'the created user row');
    // The Sessions column reads the quota of each user: "<sessions>/<maxSessions>". The admin
    // runs a session by now.
    const rows = await tableRows(tab);
    const admin = rows.find((r) => r[0] === 'admin');
    if (!admin || admin[3] !== 'ADMIN' || admin[4] !== 'LOCAL' || admin[5] !== 'Active' ||
        admin[6] === 'Never' || admin[6] === 'Invalid Date' || !/^[1-9]\d*\/\d+$/.test(admin[7])) {
      const want = 'ADMIN, LOCAL, Active, a last login date, sessions >= 1/<limit>';
      throw new Error(`the admin row reads ${JSON.stringify(admin)} (want ${want})`);
    }
    const user = rows.find((r) => r[0] === username);
    if (user?.[7] !== '0/5')
      throw new Error(`the Sessions column of ${username} reads ${user?.[7]} (want 0/5)`);
    await noBadValues(tab);
    await tab.step(async () => {
      await tab.call('GET', /^\/api\/v1\/users$/, 'role filter', () => tab.choose('Role', 'User'));
      await tab.waitGone('ADMIN', 'role filter User (admin still listed)');
      await tab.waitText(username, 'role filter User');
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

// The admin Quotas page: the plain user's quota (set on UserDetail) is listed; a quota for the
// admin, who runs a session, is created, edited and deleted in the page's dialogs.
export async function quotas(tab, site) {
  const {username} = site.user;
  const quotaCall = /^\/api\/v1\/admin\/quotas$/;
  await tab.check('Quotas', async () => {
    await tab.goto('/admin/quotas');
    await tab.waitText('Add Quota', 'the page (shown once /api/v1/admin/quotas answered)');
    await waitRow(
        tab, username, (r) => r !== null && /^0 \/ 5$/.test(r[1]) && /^\S+ \/ 2000m$/.test(r[2]),
        'the quota set on UserDetail');
    await tab.step(async () => {
      await tab.click('Add Quota');
      await tab.waitText('Add User Quota', 'dialog');
      await tab.fill('Username', 'admin');
      const put = await tab.call('PUT', quotaCall, 'create quota', () => tab.click('Create'));
      const sent = sentBody(put);
      if (sent.username !== 'admin' || sent.maxSessions !== 10 || sent.maxCPU !== '4000m' ||
          sent.maxMemory !== '8Gi' || sent.maxStorage !== '50Gi')
        throw new Error(`create quota sent ${JSON.stringify(sent)}`);
      await waitRow(
          tab, 'admin',
          (r) => r !== null && /^[1-9]\d* \/ 10$/.test(r[1]) && /^\S+ \/ 4000m$/.test(r[2]) &&
              /^\S+ \/ 8Gi$/.test(r[3]) && /^\S+ \/ 50Gi$/.test(r[4]),
          'the created quota (its use counts the admin\'s running session)');
      await noBadValues(tab);
      await tab.screenshot('quotas.png');
    });
    await tab.step(async () => {
      await tab.clickIcon('EditIcon', 'admin');
      await tab.waitText('Edit User Quota', 'dialog');
      await tab.fill('Max CPU', '3000m');
      const put = await tab.call('PUT', quotaCall, 'update quota', () => tab.click('Update'));
      const sent = sentBody(put);
      if (sent.username !== 'admin' || sent.maxSessions !== 10 || sent.maxCPU !== '3000m')
        throw new Error(`update quota sent ${JSON.stringify(sent)}`);
      await waitRow(
          tab, 'admin', (r) => r !== null && /^\S+ \/ 3000m$/.test(r[2]), 'the updated quota');
    });
    await tab.step(async () => {
      await tab.clickIcon('DeleteIcon', 'admin');
      await tab.waitText('Delete User Quota', 'dialog');
      await tab.call(
          'DELETE', /^\/api\/v1\/admin\/quotas\/admin$/, 'delete quota', () => tab.click('Delete'));
      // The page empties the table while it reloads the list.
      await waitRows(
          tab, (rows) => rowOf(rows, 'admin') === null && rowOf(rows, username) !== null,
          'the deleted quota gone, the other left');
    });
  });
}

// CreateGroup, GroupDetail, the Group Memberships of UserDetail and Groups: two groups made on
// the CreateGroup page, one edited, given a quota and the plain user as a member, the other
// deleted from the list; then the member removed and the group deleted on GroupDetail.
export async function groups(tab, site) {
  const team = {
    name: 'uicheck-team',
    displayName: 'UI Check Team',
    edited: 'UI Check Team Edited',
    description: 'Made by the UI check'
  };
  const project = {name: 'uicheck-project', displayName: 'UI Check Project'};
  const {username} = site.user;
  const create = async (group, type) => {
    await tab.goto('/admin/groups/create');
    await tab.waitText('Create New Group', 'title');
    await tab.fill('Name', group.name);
    await tab.fill('Display Name', group.displayName);
    if (group.description)
      await tab.fill('Description', group.description);
    if (type)
      await tab.choose('Type', type);
    const created = await tab.call(
        'POST', /^\/api\/v1\/groups$/, `create ${group.name}`, () => tab.click('Create Group'));
    const body = await created.json();
    const sent = sentBody(created);
    if (!body.id || body.name !== group.name || body.displayName !== group.displayName ||
        body.type !== sent.type || body.type !== (type ?? 'team').toLowerCase())
      throw new Error(`sent ${JSON.stringify(sent)}, answer ${JSON.stringify(body).slice(0, 200)}`);
    await tab.waitPath(`/admin/groups/${body.id}`, 'after create');
    group.id = body.id;
  };
  const detail = async () => {
    if (!team.id)
      throw new Error('no group created');
    if (urlPath(tab.page.url()) !== `/admin/groups/${team.id}`)
      await tab.goto(`/admin/groups/${team.id}`);
    await tab.waitText('Group Details', 'title');
  };

  await tab.check('CreateGroup', async () => {
    await create(project, 'Project');
    await create(team);
  });
  await tab.check('GroupDetail', async () => {
    await detail();
    for (const shown of [team.name, team.displayName, team.description, 'TEAM'])
      await tab.waitText(shown, 'group information');
    await tab.waitText('No members in this group', 'members of a new group');
    await waitQuotaCard(tab, {}, 'the quota of a new group');
    await noBadValues(tab);
    await tab.step(async () => {
      await tab.click('Edit');
      await tab.fill('Display Name', team.edited);
      await tab.choose('Type', 'Project');
      const saved = await tab.call(
          'PATCH', new RegExp(`^/api/v1/groups/${team.id}$`), 'save', () => tab.click('Save'));
      const sent = sentBody(saved);
      if (sent.displayName !== team.edited || sent.type !== 'project')
        throw new Error(`save sent ${JSON.stringify(sent)}`);
      await tab.waitText(team.edited, 'the edited display name');
      await tab.waitText('PROJECT', 'the edited type');
    });
    await tab.step(async () => {
      await tab.click('Edit', 'Resource Quota');
      await tab.fill('Max Sessions', '8');
      await tab.fill('Max CPU', '6000m');
      const saved = await tab.call(
          'PUT', new RegExp(`^/api/v1/groups/${team.id}/quota$`), 'save quota',
          () => tab.click('Save'));
      const sent = sentBody(saved);
      if (sent.maxSessions !== 8 || sent.maxCpu !== '6000m')
        throw new Error(`save quota sent ${JSON.stringify(sent)}`);
      await waitQuotaCard(tab, {Sessions: '8', CPU: '6000m'}, 'the saved group quota');
    });
    // The dialog's user picker is an Autocomplete: type, then take the first suggestion.
    await tab.step(async () => {
      await tab.click('Add Member');
      await tab.waitText('Select User', 'add member dialog');
      await tab.fill('Select User', username);
      await tab.page.waitForSelector('[role="option"]', {timeout: STEP_TIMEOUT});
      await tab.page.keyboard.press('ArrowDown');
      await tab.page.keyboard.press('Enter');
      const added = await tab.call(
          'POST', new RegExp(`^/api/v1/groups/${team.id}/members$`), 'add member',
          () => tab.click('Add Member'));
      const sent = sentBody(added);
      if (sent.userId !== site.user.id || sent.role !== 'member')
        throw new Error(`add member sent ${JSON.stringify(sent)}`);
      await waitRow(
          tab, username,
          (r) => r !== null && r[1] === site.user.email && r[2] === 'MEMBER' &&
              r[3] !== 'Invalid Date',
          'the added member');
      await tab.waitText('Members (1)', 'the member count');
    });
  });
  await tab.check('UserDetail groups', async () => {
    if (!site.user.id)
      throw new Error('no user created');
    await tab.goto(`/admin/users/${site.user.id}`);
    await tab.waitText('Group Memberships', 'title of the table');
    await waitRow(
        tab, team.name,
        (r) => r !== null && r[1] === team.edited && r[2] === 'project' && r[3] === '1',
        'the group the user was added to (name, display name, type, members)');
    await noBadValues(tab);
  });
  await tab.check('Groups', async () => {
    await tab.goto('/admin/groups');
    await tab.waitText('Group Management', 'title');
    await waitRow(
        tab, team.name,
        (r) => r !== null && r[1] === team.edited && r[2] === team.description &&
            r[3] === 'PROJECT' && r[4] === '1',
        'the edited group');
    await waitRow(
        tab, project.name,
        (r) => r !== null && r[1] === project.displayName && r[2] === '-' && r[3] === 'PROJECT' &&
            r[4] === '0',
        'the other group');
    await noBadValues(tab);
    await tab.step(async () => {
      const listed = await tab.call(
          'GET', /^\/api\/v1\/groups$/, 'type filter', () => tab.choose('Type', 'Team'));
      if (new URL(listed.url()).searchParams.get('type') !== 'team')
        throw new Error(`the type filter asked ${listed.url()}`);
      await tab.waitText('No groups found', 'type filter Team');
      await tab.choose('Type', 'All');
      await waitRow(tab, team.name, (r) => r !== null, 'type filter All');
      await tab.fill('Search', 'no-such-group');
      await tab.waitText('No groups found', 'search');
      await tab.fill('Search', '');
      await waitRow(tab, project.name, (r) => r !== null, 'search cleared');
    });
    await tab.step(async () => {
      await tab.clickIcon('DeleteIcon', project.name);
      await tab.waitText('Delete Group', 'delete dialog');
      await tab.call(
          'DELETE', new RegExp(`^/api/v1/groups/${project.id}$`), 'delete from the list',
          () => tab.click('Delete'));
      await waitRows(
          tab, (rows) => rowOf(rows, project.name) === null && rowOf(rows, team.name) !== null,
          'the deleted group gone, the other left');
    });
    await tab.step(async () => {
      await tab.click('Create Group');
      await tab.waitPath('/admin/groups/create', 'the Create Group button');
    });
  });
  await tab.check('GroupDetail remove member, delete', async () => {
    await detail();
    await waitRow(tab, username, (r) => r !== null, 'the member');
    await tab.clickIcon('PersonRemoveIcon', username);
    await tab.waitText('Are you sure you want to remove this member', 'remove dialog');
    await tab.call(
        'DELETE', new RegExp(`^/api/v1/groups/${team.id}/members/${site.user.id}$`),
        'remove member', () => tab.click('Remove'));
    await tab.waitText('No members in this group', 'after remove');
    await tab.click('Delete');
    await tab.waitText('Delete Group', 'delete dialog');
    await tab.call(
        'DELETE', new RegExp(`^/api/v1/groups/${team.id}$`), 'delete', () => tab.click('Delete'));
    await tab.waitPath('/admin/groups', 'after delete');
    // The list may show what it held before until it has read the groups again.
    await tab.call('GET', /^\/api\/v1\/groups$/, 'refresh', () => tab.clickIcon('RefreshIcon'));
    await waitRows(
        tab,
        (rows) => rows.length > 0 && rows[0][0] !== 'Loading groups...' &&
            rowOf(rows, team.name) === null,
        'the deleted group');
  });
}

export async function adminRoutes(tab, site) {
  await tab.check('Admin pages (sent back to the dashboard)', async () => {
    for (const route
             of ['/admin/dashboard', '/admin/nodes', '/admin/users', `/admin/users/${site.user.id}`,
                 '/admin/quotas', '/admin/groups', '/admin/groups/create']) {
      await tab.goto(route);
      await tab.waitPath('/', `${route} as a plain user`);
    }
    const menu = await tab.page.evaluate(() => document.body.innerText);
    if (menu.includes('Cluster Nodes') || menu.includes('User Quotas'))
      throw new Error('the admin menu is shown to a plain user');
  });
}
