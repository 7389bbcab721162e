//! Who is on the other end of a request. Behind nginx (and maybe a load
//! balancer) the peer is a proxy; the client is the right-most address in
//! `X-Forwarded-For` that is not one of the trusted proxies (`TRUSTED_PROXIES`).
//! Entries left of that are whatever the client sent and are never believed.

use std::net::IpAddr;
use std::str::FromStr;

use actix_web::HttpRequest;

/// An IP network such as `10.0.0.0/8` or `::1/128`; a bare address is a /32 (/128).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            // An IPv4 peer may arrive as an IPv4-mapped IPv6 address.
            (IpAddr::V4(_), IpAddr::V6(ip)) => ip
                .to_ipv4_mapped()
                .is_some_and(|ip| self.contains(IpAddr::V4(ip))),
            (IpAddr::V6(_), IpAddr::V4(_)) => false,
        }
    }
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (address, prefix) = match s.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (s, None),
        };
        let network: IpAddr = address
            .trim()
            .parse()
            .map_err(|_| format!("{s:?} is not an IP address or network"))?;
        let longest = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= longest)
                .ok_or_else(|| format!("{s:?} has a prefix length outside 0 to {longest}"))?,
            None => longest,
        };
        Ok(Self { network, prefix })
    }
}

/// The proxies whose `X-Forwarded-For` entries are believed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    /// Loopback only: nginx on the same machine (the default).
    pub fn loopback() -> Self {
        Self(vec![
            Cidr {
                network: IpAddr::from([127, 0, 0, 0]),
                prefix: 8,
            },
            Cidr {
                network: IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]),
                prefix: 128,
            },
        ])
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(ip))
    }

    /// The client's address: the peer, unless the peer is a trusted proxy, in
    /// which case `X-Forwarded-For` is read from the right, skipping trusted
    /// proxies, up to the first address that is not one.
    pub fn client_of(&self, req: &HttpRequest) -> Option<IpAddr> {
        let peer = req.peer_addr()?.ip();
        let hops: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .collect();
        Some(self.client_from(peer, &hops))
    }

    fn client_from(&self, peer: IpAddr, hops: &[&str]) -> IpAddr {
        let mut client = peer;
        for hop in hops.iter().rev() {
            if !self.trusts(client) {
                break;
            }
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) => client = ip,
                // Garbage in the header: the last proxy is all we know.
                Err(_) => break,
            }
        }
        client
    }
}

impl FromStr for TrustedProxies {
    type Err = String;

    /// A comma- or space-separated list of networks; empty trusts no proxy.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split([',', ' '])
            .filter(|part| !part.trim().is_empty())
            .map(Cidr::from_str)
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn proxies(s: &str) -> TrustedProxies {
        s.parse().unwrap_or_else(|e: String| panic!("{e}"))
    }

    #[test]
    fn networks_contain_their_addresses_and_no_others() {
        let net: Cidr = "10.1.0.0/16"
            .parse()
            .unwrap_or_else(|e: String| panic!("{e}"));
        assert!(net.contains(ip("10.1.255.3")));
        assert!(!net.contains(ip("10.2.0.1")));
        assert!(net.contains(ip("::ffff:10.1.0.9")));
        let any: Cidr = "0.0.0.0/0"
            .parse()
            .unwrap_or_else(|e: String| panic!("{e}"));
        assert!(any.contains(ip("203.0.113.9")));
        let one: Cidr = "fd00::1".parse().unwrap_or_else(|e: String| panic!("{e}"));
        assert!(one.contains(ip("fd00::1")) && !one.contains(ip("fd00::2")));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("nginx".parse::<Cidr>().is_err());
    }

    #[test]
    fn the_client_is_the_rightmost_untrusted_hop() {
        let trusted = proxies("127.0.0.0/8, 10.0.0.0/8");
        // A client behind nginx behind a load balancer; it forged the first entry.
        let hops = ["6.6.6.6", "203.0.113.7", "10.0.0.5"];
        assert_eq!(
            trusted.client_from(ip("127.0.0.1"), &hops),
            ip("203.0.113.7")
        );
        // A peer that is not a proxy is the client, whatever it claims.
        assert_eq!(
            trusted.client_from(ip("198.51.100.1"), &hops),
            ip("198.51.100.1")
        );
        // Nothing forwarded: the proxy itself.
        assert_eq!(trusted.client_from(ip("127.0.0.1"), &[]), ip("127.0.0.1"));
        // Garbage stops the walk at the last proxy.
        assert_eq!(
            trusted.client_from(ip("127.0.0.1"), &["203.0.113.7", "unknown"]),
            ip("127.0.0.1")
        );
        // Trusting nothing: always the peer.
        assert_eq!(
            proxies("").client_from(ip("127.0.0.1"), &["203.0.113.7"]),
            ip("127.0.0.1")
        );
    }
}
