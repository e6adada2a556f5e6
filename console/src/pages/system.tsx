import { systemApi } from '../api/system';
import { Button, ErrorLine, PageTitle, StatusBadge, useLoad } from '../components/ui';

/** Operators: service health, consumer lag and dead letters. */
export function SystemPage() {
  const system = useLoad(() => systemApi.get(), []);
  const s = system.data;
  return (
    <>
      <div class="title-row">
        <PageTitle>System</PageTitle>
        <Button onClick={system.reload} busy={system.loading}>
          Refresh
        </Button>
      </div>
      <ErrorLine error={system.error} />
      {s ? (
        <>
          <h2>Services</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Status</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {s.services.map((svc) => (
                  <tr key={svc.name}>
                    <td>{svc.name}</td>
                    <td>
                      <StatusBadge status={svc.status} />
                    </td>
                    <td>{svc.detail ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>Consumer lag</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Topic</th>
                  <th scope="col">Group</th>
                  <th scope="col">Lag</th>
                </tr>
              </thead>
              <tbody>
                {s.topics.map((t) => (
                  <tr key={`${t.group}/${t.topic}`}>
                    <td class="mono">{t.topic}</td>
                    <td class="mono">{t.group}</td>
                    <td>{t.lag}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>Dead letters</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Topic</th>
                  <th scope="col">Records</th>
                </tr>
              </thead>
              <tbody>
                {s.deadLetters.map((d) => (
                  <tr key={d.topic}>
                    <td class="mono">{d.topic}</td>
                    <td>{d.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}
