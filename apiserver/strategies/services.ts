/**
 * Services: an update keeps what the server assigned (cluster IPs, node ports) when the client
 * leaves it out, and drops what the new type no longer uses, as Kubernetes' service storage does.
 */
import { prepareServiceUpdate, type Service } from '../../api/kinds/core/service';
import type { Strategy } from '../registry/strategy';

export const serviceStrategy: Strategy<Service> = {
  resetStatusOnCreate: true,
  prepareForUpdate(svc, old) {
    prepareServiceUpdate(svc, old);
  },
};
