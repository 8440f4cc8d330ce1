import { createRandom, randomIndex, sample, type Random } from '../src/util/random.ts';

/**
 * Synthetic job offers for benchmarks at scale (1k, 10k, 100k): Markdown files shaped like real
 * postings (title, company, employer headings, bullets), drawn from a vocabulary written for this
 * purpose, with a seeded generator so that every run benchmarks the same corpus. Each role draws
 * most of its missions and requirements from its own pool and some from a shared one, so role
 * inference, section detection, theme tagging and filtered retrieval all do real work.
 */

export interface SyntheticOffer {
  /** File name, unique within a generated corpus. */
  name: string;
  role: string;
  text: string;
}

interface RoleVocabulary {
  titles: string[];
  missions: string[];
  requirements: string[];
  niceToHave: string[];
}

const ROLES: Record<string, RoleVocabulary> = {
  SRE: {
    titles: ['Site Reliability Engineer', 'Senior Site Reliability Engineer', 'SRE', 'Staff SRE', 'Reliability Engineer'],
    missions: [
      'Define service level objectives with product teams and track error budgets every week.',
      'Take part in the on-call rotation and lead incident response for customer-facing services.',
      'Write blameless postmortems and follow their action items to completion.',
      'Reduce toil by automating recurring operational tasks in Go and Python.',
      'Improve observability with Prometheus, Grafana and OpenTelemetry traces.',
      'Run capacity planning and load tests before each seasonal peak.',
      'Design graceful degradation and failover across two regions.',
      'Tune alerting so that every page is actionable and urgent.',
    ],
    requirements: [
      'Four years of experience running distributed systems in production.',
      'Hands-on experience with Kubernetes operations and troubleshooting.',
      'Solid knowledge of Linux internals, networking and performance analysis.',
      'Experience defining SLIs and SLOs and acting on error budget burn.',
      'Programming skills in Go, Python or Rust.',
      'Calm and methodical during incidents.',
    ],
    niceToHave: ['Experience with chaos engineering tools.', 'Contributions to open source monitoring projects.', 'Knowledge of eBPF based profiling.'],
  },
  'DevOps Engineer': {
    titles: ['DevOps Engineer', 'Senior DevOps Engineer', 'DevOps Engineer (CI/CD)', 'Lead DevOps Engineer', 'DevSecOps Engineer'],
    missions: [
      'Build and maintain CI/CD pipelines in GitLab CI and GitHub Actions for forty services.',
      'Automate infrastructure provisioning with Terraform modules and Ansible roles.',
      'Package applications as Docker images and deploy them with Helm charts.',
      'Introduce blue-green and canary releases to remove release weekends.',
      'Integrate dependency scanning and secrets detection into every pipeline.',
      'Work with developers to shorten lead time from commit to production.',
      'Manage artifact repositories and build caches to speed up builds.',
      'Document deployment procedures and coach teams on DevOps practices.',
    ],
    requirements: [
      'Three years of experience with continuous integration and continuous delivery tooling.',
      'Strong experience with Terraform and one public cloud among AWS, Azure and GCP.',
      'Good knowledge of Docker, Kubernetes and Helm.',
      'Scripting skills in Bash and Python.',
      'Experience with Jenkins or GitLab CI at scale.',
      'A collaborative mindset and clear written communication.',
    ],
    niceToHave: ['Certification on AWS or Azure.', 'Experience with ArgoCD and GitOps workflows.', 'Knowledge of policy as code.'],
  },
  'Platform Engineer': {
    titles: ['Platform Engineer', 'Senior Platform Engineer', 'Developer Platform Engineer', 'Staff Platform Engineer'],
    missions: [
      'Build the internal developer platform that product teams use to ship services.',
      'Design golden paths and self-service templates with Backstage.',
      'Operate the shared Kubernetes clusters as a product with its own roadmap.',
      'Measure developer experience and remove friction from local development.',
      'Provide paved roads for databases, queues and secrets management.',
      'Treat platform users as customers and run regular feedback sessions.',
    ],
    requirements: [
      'Experience building platforms or tooling used by other engineers.',
      'Deep knowledge of Kubernetes, operators and custom resources.',
      'Proficiency in Go or TypeScript.',
      'Experience with Terraform and cloud infrastructure on AWS or GCP.',
      'Product thinking and empathy for developers.',
    ],
    niceToHave: ['Experience with Crossplane.', 'Talks or writing about platform engineering.', 'Knowledge of service mesh.'],
  },
  'Backend Engineer': {
    titles: ['Backend Engineer', 'Senior Backend Developer', 'Back-end Engineer (Go)', 'Software Engineer, Backend'],
    missions: [
      'Design and build REST and gRPC APIs for the payments domain.',
      'Model data in PostgreSQL and keep queries fast as volumes grow.',
      'Write well tested code and review the code of your teammates.',
      'Break a monolith into services with clear ownership.',
      'Work with product managers to turn requirements into increments.',
    ],
    requirements: [
      'Three years of backend development in Go, Java, Kotlin or Python.',
      'Strong knowledge of SQL databases and transactions.',
      'Experience with message queues such as Kafka or RabbitMQ.',
      'Care for testing, readability and maintainability.',
    ],
    niceToHave: ['Experience with domain-driven design.', 'Knowledge of event sourcing.', 'Exposure to the fintech sector.'],
  },
  'Data Engineer': {
    titles: ['Data Engineer', 'Senior Data Engineer', 'Analytics Engineer', 'Big Data Engineer'],
    missions: [
      'Build batch and streaming data pipelines with Spark and Kafka.',
      'Model the warehouse in dbt and BigQuery for analysts and data scientists.',
      'Orchestrate workflows with Airflow and monitor data quality.',
      'Own data contracts with the teams that produce events.',
      'Optimise storage formats and partitioning for cost and speed.',
    ],
    requirements: [
      'Experience with Python and SQL for data processing.',
      'Knowledge of Spark, Airflow and a cloud data warehouse.',
      'Understanding of data modelling and slowly changing dimensions.',
      'Attention to data quality and documentation.',
    ],
    niceToHave: ['Experience with Flink.', 'Knowledge of privacy regulations.', 'Familiarity with machine learning pipelines.'],
  },
};

const SHARED = {
  missions: [
    'Share knowledge through documentation, pairing and internal talks.',
    'Participate in architecture reviews and technical decisions.',
    'Improve security and compliance of our systems with the security team.',
  ],
  requirements: [
    'Fluent English; French is a plus.',
    'Comfortable working remotely in a distributed team.',
    'Curiosity and a habit of continuous learning.',
  ],
  benefits: [
    'Remote-friendly with an office in the city centre.',
    'Thirty days of paid holiday.',
    'Learning budget for books, courses and conferences.',
    'Private health insurance for you and your family.',
    'Stock options.',
    'Parental leave beyond the legal minimum.',
    'A yearly team retreat.',
  ],
};

const COMPANY_PARTS = {
  first: ['North', 'Blue', 'Iron', 'Quiet', 'Bright', 'Silver', 'Harbor', 'Pine', 'Copper', 'Maple', 'Stone', 'River'],
  second: ['field', 'gate', 'wave', 'loom', 'stack', 'forge', 'mint', 'leaf', 'ridge', 'works', 'path', 'line'],
  sector: ['Logistics', 'Health', 'Payments', 'Energy', 'Insurance', 'Retail', 'Travel', 'Media', 'Labs', 'Analytics'],
};

const TEAMS = ['checkout', 'search', 'identity', 'billing', 'core infrastructure', 'mobile', 'partner', 'data'];

const VERBS = ['Improve', 'Own', 'Redesign', 'Automate', 'Document', 'Scale', 'Secure', 'Simplify', 'Monitor', 'Migrate', 'Speed up', 'Maintain'];
const OBJECTS = [
  'the deployment tooling', 'the customer API', 'the internal dashboards', 'the storage layer', 'the build system',
  'the release process', 'the alerting rules', 'the data ingestion jobs', 'the access management', 'the test environments',
  'the network configuration', 'the cost reports', 'the service catalogue', 'the backup strategy',
];
const CONTEXTS = [
  'for our European customers', 'across three regions', 'with the mobile team', 'before the next audit',
  'as traffic doubles this year', 'for the new pricing model', 'with minimal downtime', 'for regulated clients',
  'alongside the security team', 'during the cloud migration', 'for partners and resellers', 'in close contact with support',
];

const LOCATIONS = ['Remote (Europe)', 'Berlin, Germany', 'Lyon, France', 'London, UK', 'Remote (US)', 'Toronto, Canada', 'Madrid, Spain'];

/** Role shares of a generated corpus, roughly those of the real corpus in ../shared/corpus. */
const ROLE_WEIGHTS: Array<[string, number]> = [
  ['SRE', 0.3],
  ['DevOps Engineer', 0.25],
  ['Platform Engineer', 0.2],
  ['Backend Engineer', 0.15],
  ['Data Engineer', 0.1],
];

function pick<T>(items: readonly T[], random: Random): T {
  return items[randomIndex(random, items.length)] as T;
}

function pickRole(random: Random): string {
  let x = random();
  for (const [role, weight] of ROLE_WEIGHTS) {
    x -= weight;
    if (x < 0) return role;
  }
  return ROLE_WEIGHTS[0]![0];
}

function bullets(lines: readonly string[]): string {
  return lines.map((line) => `- ${line}`).join('\n');
}

/** The `index`-th offer of the corpus of `seed`: the same pair always gives the same offer. */
export function syntheticOffer(index: number, seed: number | string = 1): SyntheticOffer {
  const random = createRandom(`${seed}:${index}`);
  const role = pickRole(random);
  const vocabulary = ROLES[role]!;
  const company = `${pick(COMPANY_PARTS.first, random)}${pick(COMPANY_PARTS.second, random)} ${pick(COMPANY_PARTS.sector, random)}`;
  const title = pick(vocabulary.titles, random);
  // A line of its own, so that no two offers share missions and requirements: otherwise the
  // pipeline would rightly collapse them as reposts, and a 100k corpus would index far fewer.
  // Composed lines add the variety real employers have (the pools alone repeat too often).
  const own = `Take ownership of project ${index} within the ${pick(TEAMS, random)} team.`;
  const composed = () => `${pick(VERBS, random)} ${pick(OBJECTS, random)} ${pick(CONTEXTS, random)}.`;
  const missions = [own, composed(), composed(), ...sample(vocabulary.missions, 2 + randomIndex(random, 3), random), ...sample(SHARED.missions, 1, random)];
  const requirements = [
    `${pick(['Two', 'Three', 'Four', 'Five', 'Six'], random)} years of experience with ${pick(OBJECTS, random)} ${pick(CONTEXTS, random)}.`,
    ...sample(vocabulary.requirements, 2 + randomIndex(random, 3), random),
    ...sample(SHARED.requirements, 1 + randomIndex(random, 2), random),
  ];
  const text = [
    `# ${title}`,
    `**${company}** · ${pick(LOCATIONS, random)} · offer ${index}`,
    `## About us\n\n${company} builds software for its sector with a team of ${20 + randomIndex(random, 400)} people.`,
    `## What you will do\n\n${bullets(missions)}`,
    `## What we are looking for\n\n${bullets(requirements)}`,
    `## Nice to have\n\n${bullets(sample(vocabulary.niceToHave, 1 + randomIndex(random, 2), random))}`,
    `## Benefits\n\n${bullets(sample(SHARED.benefits, 2 + randomIndex(random, 3), random))}`,
  ].join('\n\n');
  return { name: `offer-${String(index).padStart(6, '0')}.md`, role, text: `${text}\n` };
}
