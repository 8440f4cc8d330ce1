/**
 * French offers for the web tests, written for them (fictional employers), shaped as
 * job-site.ts's SiteOffer: the synthetic vocabulary is English only, and a French offer is what
 * a site template declaring `lang="en"` got wrong. Seeded, and each offer has a line of its own,
 * so that no two are reposts of each other.
 */
import { createRandom, randomIndex, sample, type Random } from '../../src/util/random.ts';
import type { SiteOffer } from './job-site.ts';

interface Vocabulary {
  titles: string[];
  missions: string[];
  requirements: string[];
}

const ROLES: Vocabulary[] = [
  {
    titles: ['Ingénieur SRE (H/F)', 'Ingénieur·e fiabilité des sites', 'Ingénieur SRE confirmé'],
    missions: [
      "Définir avec les équipes produit les objectifs de niveau de service et suivre les budgets d'erreur chaque semaine.",
      'Participer aux astreintes et piloter la gestion des incidents sur les services exposés aux clients.',
      "Rédiger des post-mortems sans recherche de coupable et suivre leurs actions jusqu'au bout.",
      "Réduire le travail répétitif en automatisant les tâches d'exploitation en Go et en Python.",
      "Améliorer l'observabilité avec Prometheus, Grafana et des traces OpenTelemetry.",
      'Mener la planification de capacité et les tests de charge avant chaque pic saisonnier.',
      'Concevoir la dégradation progressive et la bascule entre deux régions.',
    ],
    requirements: [
      "Quatre ans d'expérience dans l'exploitation de systèmes distribués en production.",
      'Une pratique concrète de Kubernetes en production et de son dépannage.',
      "Une bonne connaissance de Linux, des réseaux et de l'analyse de performance.",
      "L'expérience des indicateurs et des objectifs de niveau de service.",
      'Savoir programmer en Go, en Python ou en Rust.',
      'Du sang-froid pendant les incidents et le goût de la rédaction claire.',
    ],
  },
  {
    titles: ['Ingénieur DevOps (H/F)', 'Ingénieur·e DevOps', 'Ingénieur DevOps senior'],
    missions: [
      "Construire et maintenir les chaînes d'intégration et de déploiement continus avec GitLab CI.",
      "Automatiser le provisionnement de l'infrastructure avec des modules Terraform et des rôles Ansible.",
      'Conteneuriser les applications avec Docker et les déployer avec des charts Helm.',
      'Mettre en place des déploiements progressifs pour ne plus livrer le vendredi soir.',
      "Intégrer l'analyse des dépendances et la détection de secrets dans chaque pipeline.",
      'Accompagner les développeurs pour raccourcir le délai entre un commit et la production.',
      "Gérer les dépôts d'artefacts et les caches de construction pour accélérer les livraisons.",
    ],
    requirements: [
      "Trois ans d'expérience avec les outils d'intégration et de livraison continues.",
      "Une solide expérience de Terraform et d'un cloud public parmi AWS, Azure et GCP.",
      'Une bonne connaissance de Docker, de Kubernetes et de Helm.',
      'Savoir écrire des scripts en Bash et en Python.',
      "Un goût pour le travail en équipe et une communication écrite claire.",
    ],
  },
  {
    titles: ['Ingénieur plateforme (H/F)', 'Ingénieur·e plateforme'],
    missions: [
      'Construire la plateforme interne que les équipes produit utilisent pour livrer leurs services.',
      'Concevoir des modèles en libre-service et des chemins balisés avec Backstage.',
      'Exploiter les clusters Kubernetes partagés comme un produit, avec sa propre feuille de route.',
      "Mesurer l'expérience des développeurs et supprimer les frictions du développement local.",
      'Fournir des solutions prêtes à l’emploi pour les bases de données, les files de messages et les secrets.',
    ],
    requirements: [
      "Une expérience de la construction de plateformes ou d'outils utilisés par d'autres ingénieurs.",
      'Une connaissance approfondie de Kubernetes et de son écosystème.',
      'Savoir programmer en Go ou en Python.',
      "Le sens du produit et l'écoute des utilisateurs internes.",
    ],
  },
];

const NICE_TO_HAVE = [
  'Une expérience du chaos engineering.',
  'Des contributions à des projets libres de supervision.',
  'Une certification AWS ou Azure.',
  'Une connaissance de PostgreSQL et de son optimisation.',
];
const BENEFITS = [
  'Deux jours de télétravail par semaine.',
  'Une mutuelle prise en charge à 70 %.',
  'Des tickets restaurant et un forfait mobilités durables.',
  'Un budget formation et une conférence par an.',
  'Vingt-cinq jours de congés et des RTT.',
];
const COMPANY = { first: ['Ateliers', 'Maison', 'Comptoir', 'Studio', 'Forge'], second: ['Vernier', 'Carmin', 'Sablon', 'Lisière', 'Tramontane', 'Bocage'] };
const SECTORS = ['les hôpitaux de la région', 'les transporteurs routiers', 'les collectivités locales', 'les coopératives agricoles'];
const TEAMS = ['paiement', 'recherche', 'logistique', 'facturation', 'mobile', 'données'];
const LOCATIONS = ['Lyon, France', 'Nantes, France', 'Paris (hybride)', 'Bordeaux, France', 'Télétravail (France)'];

const pick = <T>(items: readonly T[], random: Random): T => items[randomIndex(random, items.length)] as T;

/** The `index`-th French offer of `seed`: the same pair always gives the same offer. */
export function frenchSiteOffer(index: number, seed: number | string = 1): SiteOffer {
  const random = createRandom(`fr:${seed}:${index}`);
  const role = pick(ROLES, random);
  const company = `${pick(COMPANY.first, random)} ${pick(COMPANY.second, random)}`;
  return {
    slug: `offer-fr-${String(index).padStart(6, '0')}`,
    title: pick(role.titles, random),
    company,
    location: pick(LOCATIONS, random),
    language: 'fr',
    sections: [
      { heading: 'Qui sommes-nous ?', paragraphs: [`${company} conçoit des logiciels pour ${pick(SECTORS, random)} avec une équipe de ${20 + randomIndex(random, 300)} personnes.`], bullets: [] },
      { heading: 'Vos missions', paragraphs: [], bullets: [`Prendre en charge le projet ${index} avec l'équipe ${pick(TEAMS, random)}.`, ...sample(role.missions, 3 + randomIndex(random, 2), random)] },
      { heading: 'Profil recherché', paragraphs: [], bullets: sample(role.requirements, 3 + randomIndex(random, 2), random) },
      { heading: 'Un plus', paragraphs: [], bullets: sample(NICE_TO_HAVE, 1 + randomIndex(random, 2), random) },
      { heading: 'Avantages', paragraphs: [], bullets: sample(BENEFITS, 2 + randomIndex(random, 2), random) },
    ],
  };
}
